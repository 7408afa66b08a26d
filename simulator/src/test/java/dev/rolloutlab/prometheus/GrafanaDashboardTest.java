package dev.rolloutlab.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard in reports/grafana/ asks only for what the exporter serves, so the two cannot drift apart. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "reports", "grafana", "rollout-lab-run.json");
    private static final Pattern METRIC = Pattern.compile("\\brolloutlab_[a-z_]+");

    @Test
    void everyPanelQueriesOnlySeriesTheExporterServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> served;
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "s", "canary")) {
            server.show(MetricsServerTest.everyFamily(true));
            served = Scrape.of(server.url()).names();
        }

        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
        }
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) {
                queries.add(v.path("query").path("query").asText());
            }
        });
        assertThat(dashboard.path("panels")).hasSize(6);

        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            assertThat(m.find()).as("a query that names a rollout-lab metric: %s", query).isTrue();
            do {
                // A label of the state set carries the metric's own name.
                assertThat(served).as("in %s", query).contains(m.group());
            } while (m.find());
        }
    }

    @Test
    void theDatasourceIsAVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        dashboard.path("panels").forEach(p -> assertThat(p.path("datasource").path("uid").asText())
            .isEqualTo("${datasource}"));
    }
}
