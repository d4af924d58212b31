package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a connect-configs file and fills its {@code {{PLACEHOLDERS}}} with connection values,
 * changing nothing else: the body a user would POST after editing the same placeholders.
 */
public final class ConnectConfigs {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z0-9_]+)}}");

  private ConnectConfigs() {}

  /**
   * The values of the placeholders connect-configs uses, for a database of the PostgreSQL node and
   * a plain Elasticsearch node.
   */
  public static Map<String, String> placeholders(
      PostgresNode postgres, String database, SearchNode elasticsearch) {
    return Map.of(
        "PG_HOST", postgres.host(),
        "PG_PORT", String.valueOf(postgres.port()),
        "PG_USER", postgres.user(),
        "PG_PASSWORD", postgres.password(),
        "PG_DATABASE", database,
        "ES_URL", elasticsearch.url());
  }

  /** The file's JSON with every placeholder replaced; fails naming any placeholder left unset. */
  public static String fill(Path file, Map<String, String> values) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + file, e);
    }
    Matcher matcher = PLACEHOLDER.matcher(json);
    StringBuilder filled = new StringBuilder();
    TreeSet<String> missing = new TreeSet<>();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        missing.add(matcher.group(1));
        value = matcher.group();
      } else {
        value = new String(JsonStringEncoder.getInstance().quoteAsString(value));
      }
      matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(filled);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(file + " needs values for " + missing);
    }
    return filled.toString();
  }
}
