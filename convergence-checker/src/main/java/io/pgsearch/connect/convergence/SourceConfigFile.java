package io.pgsearch.connect.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A source connector's config as users POST it to Connect, read for a document check: the JSON
 * object of settings, with or without the {@code {"name": ..., "config": {...}}} wrapper, and the
 * database settings a JDBC URL gives.
 */
final class SourceConfigFile {
  private SourceConfigFile() {}

  /** The settings of the file, every value as text. */
  static Map<String, String> read(Path file) {
    JsonNode json;
    try {
      json = ConvergenceChecker.JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " as JSON: " + e.getMessage());
    }
    return settings(json, file.toString());
  }

  static Map<String, String> settings(JsonNode json, String source) {
    JsonNode config = json != null && json.path("config").isObject() ? json.get("config") : json;
    if (config == null || !config.isObject()) {
      throw new IllegalArgumentException(
          source + " must hold a JSON object of connector settings, or {\"config\": {...}}");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    config
        .fields()
        .forEachRemaining(
            field ->
                settings.put(
                    field.getKey(),
                    field.getValue().isValueNode()
                        ? field.getValue().asText()
                        : field.getValue().toString()));
    return settings;
  }

  /** {@code database.hostname}, {@code .port} and {@code .dbname} of a PostgreSQL JDBC URL. */
  static Map<String, String> connection(String jdbcUrl) {
    String prefix = "jdbc:postgresql://";
    if (!jdbcUrl.startsWith(prefix)) {
      throw new IllegalArgumentException(
          "--jdbc-url must be jdbc:postgresql://host[:port]/database, not " + jdbcUrl);
    }
    URI uri;
    try {
      uri = new URI(jdbcUrl.substring("jdbc:".length()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--jdbc-url is not a valid URL: " + e.getMessage());
    }
    String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (uri.getHost() == null || database.isEmpty()) {
      throw new IllegalArgumentException(
          "--jdbc-url must name a host and a database: jdbc:postgresql://host[:port]/database");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("database.hostname", uri.getHost());
    settings.put("database.port", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
    settings.put("database.dbname", database);
    return settings;
  }
}
