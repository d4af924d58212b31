package io.pgsearch.connect.sink.document;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the index of a record from a template with {@code ${topic}}, {@code ${schema}} and {@code
 * ${table}}, a prefix and a suffix, or from a per-topic override; the result is made a valid
 * Elasticsearch index name (lower case, no {@code \ / * ? " < > | , # :} or spaces, not starting
 * with {@code - _ +}, at most 255 bytes).
 *
 * <p>{@code ${schema}} and {@code ${table}} come from the {@code pgsearch.schema} and {@code
 * pgsearch.table} headers that the transforms set, else from a topic named {@code
 * <prefix>.<schema>.<table>} (Debezium's naming), else the table is the whole topic name.
 */
public final class IndexNames {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(topic|schema|table)}");
  private static final Pattern INVALID = Pattern.compile("[\\\\/*?\"<>|,#:\\s]");
  private static final int MAX_BYTES = 255;

  private final String template;
  private final String prefix;
  private final String suffix;
  private final Map<String, String> topicOverrides;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  public IndexNames(
      String template, String prefix, String suffix, Map<String, String> topicOverrides) {
    this.template = template;
    this.prefix = prefix;
    this.suffix = suffix;
    this.topicOverrides = Map.copyOf(topicOverrides);
  }

  /** Whether {@code topic.index.map} names the index of this topic. */
  public boolean isOverridden(String topic) {
    return topicOverrides.containsKey(topic);
  }

  /** The index for a record of {@code topic}; schema and table may be null (not in headers). */
  public String indexFor(String topic, String schema, String table) {
    String override = topicOverrides.get(topic);
    if (override != null) {
      return override;
    }
    return cache.computeIfAbsent(
        topic + '\u0000' + schema + '\u0000' + table, k -> render(topic, schema, table));
  }

  private String render(String topic, String schema, String table) {
    String[] parts = topic.split("\\.");
    String schemaName = schema != null ? schema : parts.length >= 3 ? parts[parts.length - 2] : "";
    String tableName = table != null ? table : parts[parts.length - 1];
    Matcher matcher = VARIABLE.matcher(template);
    StringBuilder name = new StringBuilder(prefix);
    while (matcher.find()) {
      String value =
          switch (matcher.group(1)) {
            case "topic" -> topic;
            case "schema" -> schemaName;
            default -> tableName;
          };
      matcher.appendReplacement(name, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(name);
    name.append(suffix);
    return sanitize(name.toString(), topic);
  }

  /** Makes a valid index name, or fails naming the topic when nothing valid is left. */
  public static String sanitize(String name, String topic) {
    String clean = INVALID.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
    clean = clean.replaceFirst("^[-_+]+", "");
    while (clean.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      clean = clean.substring(0, clean.length() - 1);
    }
    if (clean.isEmpty() || clean.equals(".") || clean.equals("..")) {
      throw new DocumentException(
          "the index name made for topic '"
              + topic
              + "' is empty or invalid ('"
              + name
              + "'):"
              + " check index.name.template, index.name.prefix and topic.index.map");
    }
    return clean;
  }

  /**
   * Whether a name is already a valid Elasticsearch index name, as a per-topic override must be: it
   * is used as given, so Elasticsearch would otherwise refuse to create the index.
   */
  public static boolean isValidIndexName(String name) {
    return !name.isEmpty()
        && !name.equals(".")
        && !name.equals("..")
        && name.equals(name.toLowerCase(Locale.ROOT))
        && !INVALID.matcher(name).find()
        && !name.startsWith("-")
        && !name.startsWith("_")
        && !name.startsWith("+")
        && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /** Whether a template uses only the known variables. */
  public static boolean isValidTemplate(String template) {
    return template.replaceAll(VARIABLE.pattern(), "").indexOf("${") < 0;
  }
}
