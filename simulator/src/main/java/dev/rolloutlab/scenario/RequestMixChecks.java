package dev.rolloutlab.scenario;

import dev.rolloutlab.measure.Recorder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@code load.requests}, the request mix: what binding cannot see, from weights to body files. A kind
 * the generator would write as a broken request (a CR/LF in a header, a path with a space) is refused here, because
 * the generator writes requests as bytes and no encoder would catch it.
 */
final class RequestMixChecks {
    /** Kinds in one mix: each costs the recorder a histogram, and a report a line. */
    static final int MAX_KINDS = Recorder.MAX_REQUEST_NAMES;
    /** A body is held in memory once per kind. */
    static final long MAX_BODY_BYTES = 1 << 20;
    /** A name travels in a request header and keys result.json. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Set by the generator itself, once: written again they would make the request ambiguous. */
    private static final Set<String> GENERATOR_HEADERS = Set.of("host", "content-length", "transfer-encoding",
        "x-user", "x-request-name", "connection");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("user", "seq");

    private RequestMixChecks() {
    }

    /** @param source the scenario file, whose folder {@code bodyFile}s are relative to */
    static void check(List<RequestSpec> requests, KeyPath p, Path source, Problems problems) {
        if (requests.isEmpty()) {
            if (problems.written(p)) {
                problems.error(p, "must list at least one request; leave it out to GET the target");
            }
            return;
        }
        if (requests.size() > MAX_KINDS) {
            problems.error(p, requests.size() + " kinds of request, at most " + MAX_KINDS);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            RequestSpec r = requests.get(i);
            KeyPath at = p.child(i);
            if (r.name() == null) {
                problems.error(at.child("name"), "required: names the kind in the results, e.g. name: checkout");
            } else if (!NAME.matcher(r.name()).matches()) {
                problems.error(at.child("name"), "\"" + r.name() + "\" cannot travel in a header: use at most 63 "
                    + "ASCII letters, digits, '.', '_' and '-', starting with a letter or digit");
            } else if (!names.add(r.name())) {
                problems.error(at.child("name"), "\"" + r.name() + "\" names an earlier request too");
            }
            if (!RequestSpec.METHODS.contains(r.method())) {
                problems.error(at.child("method"), "\"" + r.method() + "\" is not a method the generator sends (known: "
                    + String.join(", ", RequestSpec.METHODS) + "; HEAD is not, its response has no body to read)");
            }
            path(r.path(), at.child("path"), problems);
            headers(r.headers(), at.child("headers"), problems);
            if (r.body() != null) {
                placeholders(r.body(), at.child("body"), problems);
                if (r.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                    problems.error(at.child("body"), "longer than " + MAX_BODY_BYTES + " bytes");
                }
            }
            if (r.body() != null && r.bodyFile() != null) {
                problems.misplaced(at.child("bodyFile"), "the body is given inline already: use body or bodyFile");
            } else if (r.bodyFile() != null) {
                bodyFile(r, source, at.child("bodyFile"), problems);
            }
            if (!(r.weight() > 0) || Double.isInfinite(r.weight())) {
                problems.error(at.child("weight"), "must be more than 0, got " + r.weight());
            }
        }
    }

    private static void path(String path, KeyPath at, Problems problems) {
        if (path == null) {
            problems.error(at, "required: the path to request, e.g. path: /items/${seq}");
        } else if (!path.startsWith("/")) {
            problems.error(at, "\"" + path + "\" must start with /");
        } else if (placeholders(path, at, problems)
            && !ScenarioValidator.URL_PATH.matcher(path.replace("${user}", "0").replace("${seq}", "0")).matches()) {
            problems.error(at, "\"" + path + "\" is not a URL path: escape other characters with %XX");
        }
    }

    private static void headers(Map<String, String> headers, KeyPath at, Problems problems) {
        headers.forEach((name, value) -> {
            if (!ScenarioValidator.HEADER_NAME.matcher(name).matches()) {
                problems.misplaced(at.child(name), "\"" + name + "\" is not an HTTP header name");
            } else if (GENERATOR_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                problems.misplaced(at.child(name), name + " is set by the generator");
            } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                problems.error(at.child(name), "a header value cannot hold a line break (CR or LF)");
            } else {
                placeholders(value, at.child(name), problems);
            }
        });
    }

    /** @return whether every {@code ${...}} in {@code text} is one the generator fills in */
    private static boolean placeholders(String text, KeyPath at, Problems problems) {
        var m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                problems.error(at, "unknown placeholder " + m.group() + " (known: ${user}, ${seq})");
                return false;
            }
        }
        return true;
    }

    private static void bodyFile(RequestSpec r, Path source, KeyPath at, Problems problems) {
        Path file = r.bodyFileIn(source);
        if (!Files.isRegularFile(file)) {
            problems.error(at, file + " does not exist or is not a file");
        } else if (!Files.isReadable(file)) {
            problems.error(at, file + " cannot be read");
        } else {
            try {
                long size = Files.size(file);
                if (size > MAX_BODY_BYTES) {
                    problems.error(at, file + " has " + size + " bytes, at most " + MAX_BODY_BYTES);
                } else {
                    placeholders(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), at, problems);
                }
            } catch (IOException e) {
                problems.error(at, file + " cannot be read: " + e.getMessage());
            }
        }
    }
}
