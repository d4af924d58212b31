package io.pgsearch.connect.transforms;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Converter settings both connectors check in {@code validate()}: the same rule, written once.
 *
 * <p>Kafka's {@code JsonConverter} with schemas puts a field's schema default in place of a null,
 * on both sides, unless {@code replace.null.with.default=false}; so does the project's {@code
 * StreamingJsonConverter}, which keeps its semantics. Debezium gives a column's DEFAULT as its
 * schema default, so a NULL stored in such a column would be indexed as the default.
 */
public final class ConverterSettings {
  public static final String VALUE_CONVERTER = "value.converter";
  public static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

  /** Named, not referenced: the converters package depends on this one, not the reverse. */
  public static final String STREAMING_JSON_CONVERTER =
      "io.pgsearch.connect.converters.StreamingJsonConverter";

  public static final String SCHEMAS_ENABLE = VALUE_CONVERTER + ".schemas.enable";
  public static final String REPLACE_NULL_WITH_DEFAULT =
      VALUE_CONVERTER + ".replace.null.with.default";

  private ConverterSettings() {}

  /** The error for {@link #REPLACE_NULL_WITH_DEFAULT}, if the connector's converter would. */
  public static Optional<String> nullReplacedByDefault(Map<String, String> connectorProps) {
    String converter = connectorProps.get(VALUE_CONVERTER);
    converter = converter == null ? null : converter.strip();
    if (!JSON_CONVERTER.equals(converter) && !STREAMING_JSON_CONVERTER.equals(converter)) {
      return Optional.empty();
    }
    if (isFalse(connectorProps.get(SCHEMAS_ENABLE))
        || isFalse(connectorProps.get(REPLACE_NULL_WITH_DEFAULT))) {
      return Optional.empty();
    }
    return Optional.of(
        "must be false with "
            + converter
            + ": otherwise a NULL stored in a column that has a DEFAULT arrives as the default."
            + " Set "
            + REPLACE_NULL_WITH_DEFAULT
            + "=false (as connect-configs/ does)");
  }

  private static boolean isFalse(String value) {
    return value != null && value.strip().toLowerCase(Locale.ROOT).equals("false");
  }
}
