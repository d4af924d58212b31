package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files as Grafana and Prometheus load them: an importable dashboard, alert rules
 * with what an alert needs, and exporter rules that give every metric the two use. (MetricsScrapeIT
 * checks the same names against a real scrape.)
 */
class MonitoringFilesTest {
  @Test
  void promQlNamesAreTheMetricsNotFunctionsLabelsOrVariables() {
    assertThat(
            PromQl.metricNames(
                "sum by (connector) (rate(pgsearch_sink_retries_total{connector=~\"$sink\"}"
                    + "[$__rate_interval])) / sum without (task) (rate(b_total[5m] offset 1h))"))
        .containsExactly("pgsearch_sink_retries_total", "b_total");
    assertThat(PromQl.metricNames("a - b{x=\"c d\"} > 1e3 and on(server) c == bool 0"))
        .containsExactly("a", "b", "c");
    assertThat(PromQl.metricNames("sum(x{state=\"failed\"}) or vector(0)")).containsExactly("x");
  }

  @Test
  void scrapesAreReadAsPrometheusReadsThem() {
    PrometheusScrape scrape =
        PrometheusScrape.parse(
            """
            # HELP a_total A.
            # TYPE a_total counter
            a_total{connector="es-sink",task="0"} 3.0
            a_total{connector="es-sink",task="1"} 2.0
            b{x="q\\"uote"} -1.0E-3
            c 7 1700000000000
            """);
    assertThat(scrape.names()).containsExactly("a_total", "b", "c");
    assertThat(scrape.sum("a_total", Map.of("connector", "es-sink"))).isEqualTo(5.0);
    assertThat(scrape.sum("a_total", Map.of("task", "1"))).isEqualTo(2.0);
    assertThat(scrape.sum("b", Map.of())).isEqualTo(-0.001);
    assertThat(scrape.sum("missing", Map.of())).isNaN();
  }

  @Test
  void theDashboardIsImportable() {
    JsonNode dashboard = MonitoringFiles.dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("pgsearch-connect");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.has("id")).as("no id: Grafana gives one on import").isFalse();
    JsonNode variables = dashboard.path("templating").path("list");
    assertThat(variables.get(0).path("type").asText())
        .as("the first variable picks the Prometheus data source")
        .isEqualTo("datasource");
    assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
    Set<Integer> ids = new HashSet<>();
    Set<String> cells = new HashSet<>();
    for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
      JsonNode grid = panel.path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title).isBetween(1, 24);
      for (int x = grid.path("x").asInt();
          x < grid.path("x").asInt() + grid.path("w").asInt();
          x++) {
        for (int y = grid.path("y").asInt();
            y < grid.path("y").asInt() + grid.path("h").asInt();
            y++) {
          assertThat(cells.add(x + "," + y)).as(title + " overlaps another panel").isTrue();
        }
      }
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("type").asText()).as(title).isIn("timeseries", "stat", "table");
      assertThat(panel.path("datasource").path("uid").asText())
          .as(title + " reads the chosen data source")
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title + " has queries").isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
        assertThat(refIds.add(target.path("refId").asText())).as(title + " refIds").isTrue();
      }
    }
  }

  @Test
  void everyAlertSaysWhatFiredAndHowBad() {
    JsonNode groups = MonitoringFiles.alerts().path("groups");
    assertThat(groups).isNotEmpty();
    Set<String> names = new HashSet<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        assertThat(name).matches("Pgsearch[A-Za-z]+");
        assertThat(names.add(name)).as("unique alert " + name).isTrue();
        assertThat(rule.path("expr").asText()).as(name).isNotBlank();
        assertThat(rule.path("labels").path("severity").asText())
            .as(name)
            .isIn("warning", "critical");
        assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
      }
    }
  }

  @Test
  void theExporterRulesNameTheirMetricsPrometheusStyle() {
    for (JsonNode rule : MonitoringFiles.rules().path("rules")) {
      String name = rule.path("name").asText();
      String pattern = rule.path("pattern").asText();
      assertThat(name).as(pattern).matches("[a-z][a-z0-9_]*");
      assertThat(rule.path("help").asText()).as(name + " has help").isNotBlank();
      String type = rule.path("type").asText();
      if (type.equals("COUNTER")) {
        assertThat(name).as("a counter ends in _total").endsWith("_total");
      } else {
        assertThat(type).as(name).isEqualTo("GAUGE");
        assertThat(name).as("only counters end in _total").doesNotEndWith("_total");
      }
      // The exporter finds a pattern anywhere in "...><>Attribute: value": without the colon,
      // records-lag would also match records-lag-max.
      assertThat(pattern.endsWith(":") || pattern.endsWith(": ([a-z-]+)"))
          .as(name + ": " + pattern + " ends with its attribute's colon")
          .isTrue();
    }
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsUseIsMadeByARule() {
    Set<String> used = MonitoringFiles.metricsUsed();
    assertThat(used).contains("pgsearch_sink_documents_indexed_total", "kafka_connect_task_status");
    assertThat(MonitoringFiles.ruleNames()).containsAll(used);
  }

  /** The exporter reads only what is shown or alerted on, so that scrapes stay cheap. */
  @Test
  void everyRuleFeedsTheDashboardOrAnAlert() {
    assertThat(MonitoringFiles.metricsUsed()).containsAll(MonitoringFiles.ruleNames());
  }
}
