package io.pgsearch.connect.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's monitoring files, as Prometheus and Grafana read them: the JMX exporter's rules,
 * the dashboard and the alerts.
 */
final class MonitoringFiles {
  static final Path DIRECTORY = PackagingIT.ROOT.resolve("monitoring");
  static final Path RULES = DIRECTORY.resolve("jmx-exporter.yml");
  static final Path DASHBOARD = DIRECTORY.resolve("grafana-dashboard.json");
  static final Path ALERTS = DIRECTORY.resolve("alerts.yml");

  /** A dashboard variable's {@code label_values(metric, label)} query. */
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([^,)]+)");

  private MonitoringFiles() {}

  static JsonNode dashboard() {
    return read(new ObjectMapper(), DASHBOARD);
  }

  static JsonNode alerts() {
    return read(new YAMLMapper(), ALERTS);
  }

  static JsonNode rules() {
    return read(new YAMLMapper(), RULES);
  }

  /** Every panel of the dashboard, those inside collapsed rows too. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** The PromQL expressions of the dashboard's panels. */
  static List<String> dashboardExpressions(JsonNode dashboard) {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    return expressions;
  }

  /** The alerts' expressions. */
  static List<String> alertExpressions(JsonNode alerts) {
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : alerts.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        expressions.add(rule.path("expr").asText());
      }
    }
    return expressions;
  }

  /**
   * Every metric the dashboard (panels and variables) and the alerts read: what a scrape must hold
   * for them to show something.
   */
  static Set<String> metricsUsed() {
    JsonNode dashboard = dashboard();
    Set<String> names = new LinkedHashSet<>();
    List<String> expressions = new ArrayList<>(dashboardExpressions(dashboard));
    expressions.addAll(alertExpressions(alerts()));
    expressions.forEach(expression -> names.addAll(PromQl.metricNames(expression)));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher query = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (query.find()) {
        names.add(query.group(1).strip());
      }
    }
    return names;
  }

  /** The names the exporter's rules give their metrics. */
  static Set<String> ruleNames() {
    Set<String> names = new LinkedHashSet<>();
    rules().path("rules").forEach(rule -> names.add(rule.path("name").asText()));
    return names;
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + file, e);
    }
  }
}
