package dev.rolloutlab.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rolloutlab.demo.Behavior;
import dev.rolloutlab.demo.DemoService;
import dev.rolloutlab.measure.Recorder;
import dev.rolloutlab.measure.StatusSet;
import dev.rolloutlab.metrics.MetricsCalculator;
import dev.rolloutlab.metrics.RunFacts;
import dev.rolloutlab.result.Metrics;
import dev.rolloutlab.result.RequestsOfName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request mix: which kind each request is, the bytes each kind writes, and what a real server sees of them. */
class RequestMixTest {
    private static final String PAYMENT_BODY = "{\"user\": ${user}, \"order\": ${seq}, \"note\": \"café\"}";
    private static final List<RequestKind> MIX = List.of(
        new RequestKind("home", "GET", "/", Map.of(), null, 60),
        new RequestKind("item", "GET", "/items/${seq}", Map.of("X-Key", "u${user}-s${seq}"), null, 30),
        new RequestKind("payment", "POST", "/payments", Map.of("Content-Type", "application/json"),
            PAYMENT_BODY.getBytes(StandardCharsets.UTF_8), 10));

    private Vertx service;
    private Vertx load;

    @BeforeEach
    void start() {
        service = Vertx.vertx();
        load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    }

    @AfterEach
    void stop() throws Exception {
        service.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        load.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutAMixTheRequestIsTheGetItAlwaysWas() {
        RequestMix mix = new RequestMix(List.of(), "/x?y=1", "h:8080", 1);

        assertThat(mix.kindOf(123)).isZero();
        assertThat(written(mix, 0, 77, 42)).isEqualTo("GET /x?y=1 HTTP/1.1\r\nHost: h:8080\r\nX-User: 42\r\n\r\n");
    }

    @Test
    void aKindWritesItsNameHeadersAndBodyWithTheNumbersFilledInAndTheBodyLengthInBytes() {
        RequestMix mix = new RequestMix(MIX, "/", "h", 1);

        assertThat(written(mix, 1, 1234, 5)).isEqualTo("GET /items/1234 HTTP/1.1\r\nHost: h\r\nX-Request-Name: item\r\n"
            + "X-Key: u5-s1234\r\nX-User: 5\r\n\r\n");
        String body = "{\"user\": 5, \"order\": 1234, \"note\": \"café\"}";
        assertThat(written(mix, 2, 1234, 5)).isEqualTo("POST /payments HTTP/1.1\r\nHost: h\r\nX-Request-Name: payment\r\n"
            + "Content-Type: application/json\r\nX-User: 5\r\nContent-Length: "
            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    @Test
    void kindsFollowTheWeightsAndTheSameSeedGivesTheSameKinds() {
        RequestMix mix = new RequestMix(MIX, "/", "h", 7);
        RequestMix again = new RequestMix(MIX, "/", "h", 7);
        int n = 200_000;
        int[] counts = new int[MIX.size()];
        boolean differsFromAnotherSeed = false;
        RequestMix otherSeed = new RequestMix(MIX, "/", "h", 8);
        for (long seq = 0; seq < n; seq++) {
            int kind = mix.kindOf(seq);
            counts[kind]++;
            assertThat(again.kindOf(seq)).isEqualTo(kind);
            differsFromAnotherSeed |= otherSeed.kindOf(seq) != kind;
        }

        // 200,000 draws: the binomial spread of a share p is sqrt(p(1-p)/n) <= 0.0011, so 0.5 % is over 4 spreads.
        assertThat(counts[0] / (double) n).isCloseTo(0.6, within(0.005));
        assertThat(counts[1] / (double) n).isCloseTo(0.3, within(0.005));
        assertThat(counts[2] / (double) n).isCloseTo(0.1, within(0.005));
        assertThat(differsFromAnotherSeed).isTrue();
    }

    @Test
    void eachKindGetsItsShareAndItsOwnLatencyFromTheDemo() throws Exception {
        DemoService demo = new DemoService(service, 0, "v1", "v1-1", new Behavior(0, Duration.ZERO, Duration.ZERO,
            null, Map.of("/payments", Duration.ofMillis(50))));
        demo.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        URI target = URI.create("http://127.0.0.1:" + demo.port() + "/");

        Metrics m = drive(target, 1000, Duration.ofSeconds(3));

        Map<String, RequestsOfName> byName = m.requestsByName();
        assertThat(byName).containsOnlyKeys("home", "item", "payment");
        long total = byName.values().stream().mapToLong(RequestsOfName::requests).sum();
        assertThat(total).as("every request recorded under its kind").isEqualTo(m.requests());
        // Requests the generator could not make on time (a busy machine) are in no kind: most must have gone out.
        assertThat(total).as("requests made of 3000 planned").isGreaterThan(2700);
        // About 3000 requests: a share p spreads by sqrt(p(1-p)/3000), at most 0.9 % (p = 0.6), so ±2 % is over two
        // spreads for every kind; the draw is fixed by the seed, so this run's kinds are the same every time.
        assertThat(byName.get("home").requests() / (double) total).isCloseTo(0.6, within(0.02));
        assertThat(byName.get("item").requests() / (double) total).isCloseTo(0.3, within(0.02));
        assertThat(byName.get("payment").requests() / (double) total).isCloseTo(0.1, within(0.02));
        assertThat(byName.values()).allSatisfy(n -> assertThat(n.failed()).isZero());
        double delayed = byName.get("payment").p50Ms();
        assertThat(delayed).isGreaterThanOrEqualTo(50.0);
        // Compared with the delayed kind rather than with a fixed bound: a machine busy with other work stalls every
        // kind alike, and the 50 ms of the path stay between them.
        assertThat(byName.get("home").p50Ms()).isLessThan(delayed - 25);
        assertThat(byName.get("item").p50Ms()).isLessThan(delayed - 25);
    }

    @Test
    void theDemoEchoesTheRequestsName() throws Exception {
        DemoService demo = new DemoService(service, 0, "v1", "v1-1", Behavior.DEFAULT);
        demo.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + demo.port() + "/payments")).header("X-Request-Name", "payment")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Request-Name")).hasValue("payment");
    }

    private record Seen(String method, String path, Map<String, String> headers, byte[] body) {
    }

    @Test
    void theServerSeesEachRequestsNumbersAndItsBodyIntact() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = service.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, String> headers = new LinkedHashMap<>();
            req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            seen.add(new Seen(req.method().name(), req.uri(), headers, body.getBytes()));
            req.response().end("ok");
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Metrics m = drive(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), 300, Duration.ofSeconds(2));

        assertThat(seen).hasSize((int) m.requests());
        Set<String> seqs = new HashSet<>();
        Pattern item = Pattern.compile("/items/(\\d+)");
        for (Seen s : seen) {
            String user = s.headers().get("x-user");
            switch (s.headers().get("x-request-name")) {
                case "home" -> assertThat(s.path()).isEqualTo("/");
                case "item" -> {
                    Matcher path = item.matcher(s.path());
                    assertThat(path.matches()).as(s.path()).isTrue();
                    assertThat(seqs.add(path.group(1))).as("each sequence number once").isTrue();
                    assertThat(s.headers().get("x-key")).isEqualTo("u" + user + "-s" + path.group(1));
                }
                case "payment" -> {
                    assertThat(s.method()).isEqualTo("POST");
                    String body = new String(s.body(), StandardCharsets.UTF_8);
                    assertThat(body).matches("\\{\"user\": " + user + ", \"order\": \\d+, \"note\": \"café\"}");
                    assertThat(Integer.parseInt(s.headers().get("content-length"))).isEqualTo(s.body().length);
                }
                default -> throw new AssertionError("unexpected kind " + s.headers());
            }
        }
        assertThat(m.requestsByName().get("payment").requests()).isEqualTo(
            seen.stream().filter(s -> s.method().equals("POST")).count()).isPositive();
    }

    private Metrics drive(URI target, double rate, Duration duration) throws Exception {
        LoadPlan plan = LoadPlan.constant(rate, duration);
        Duration timeout = Duration.ofSeconds(2);
        Recorder recorder = new Recorder(10_000_000L, 5, Recorder.DEFAULT_OUTAGE_CHANCE, 100,
            (int) (rate * 5) + 1024, timeout.toNanos() + 1_000_000_000L, RequestKind.names(MIX));
        Generator.Config config = new Generator.Config(target, 16, 1000, new Generator.Reuse(1000,
            Duration.ofSeconds(30)), timeout, Duration.ofMillis(100), 100, "X-Version", StatusSet.DEFAULT, 1, 1, MIX);
        Generator g = new Generator(load, config, plan, recorder);
        g.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        g.start(System.nanoTime()).toCompletionStage().toCompletableFuture()
            .get(duration.toSeconds() + 20, TimeUnit.SECONDS);
        recorder.finish(duration.toNanos());
        return new MetricsCalculator(recorder, RunFacts.loadOnly(duration.toNanos(), 0.01)).metrics();
    }

    private static String written(RequestMix mix, int kind, long seq, int user) {
        ByteBuf out = Unpooled.buffer(mix.template(kind).sizeHint());
        try {
            mix.template(kind).write(out, seq, user);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }
}
