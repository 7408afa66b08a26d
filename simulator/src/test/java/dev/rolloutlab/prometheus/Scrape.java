package dev.rolloutlab.prometheus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a /metrics endpoint in the Prometheus text format: every sample by its name and labels as written
 * ({@code rolloutlab_requests_total{scenario="x",strategy="canary",version="v1"}}).
 */
public record Scrape(Map<String, Double> samples) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static Scrape of(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    public static Scrape parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Scrape(samples);
    }

    /** The value of the one sample of {@code name} whose labels include {@code label="value"}; 0 when none. */
    public double value(String name, String label, String value) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")
            && e.getKey().contains(label + "=\"" + value + "\"")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** The value of the sample of {@code name} (summed over its labels). */
    public double value(String name) {
        return samples.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Sample names without labels. */
    public List<String> names() {
        return samples.keySet().stream().map(k -> k.contains("{") ? k.substring(0, k.indexOf('{')) : k).distinct()
            .toList();
    }

    /**
     * The samples of counters (and of histograms, whose buckets, counts and sums count up too) that are lower in
     * {@code later} than in this scrape: none, for an honest exporter.
     */
    public List<String> countersGoneDown(Scrape later) {
        List<String> down = new ArrayList<>();
        samples.forEach((key, before) -> {
            String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            boolean counts = name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count")
                || name.endsWith("_sum");
            Double after = later.samples.get(key);
            if (counts && (after == null || after < before)) {
                down.add(key + ": " + before + " then " + after);
            }
        });
        return down;
    }
}
