package io.pgsearch.connect.transforms;

import org.apache.kafka.common.config.ConfigDef;

/** How {@link ElasticsearchValues} writes exact decimals. */
public enum DecimalStyle {
  /**
   * As numbers: fixed-scale decimals stay Connect Decimals, variable-scale ones become JSON-marked
   * number text; the sink writes both as exact JSON numbers.
   */
  NUMBER,
  /** As plain strings such as {@code "1234.5600"}, for keyword mappings or other sinks. */
  STRING;

  /** Accepts the lower-case names, case-insensitively. */
  public static final ConfigDef.Validator VALIDATOR = ConfigEnums.validator(DecimalStyle.class);

  /** The value as written in a config: lower case. */
  public String value() {
    return ConfigEnums.value(this);
  }

  /** Parses the value of setting {@code key}, case-insensitively. */
  public static DecimalStyle parse(String key, String value) {
    return ConfigEnums.parse(DecimalStyle.class, key, value);
  }
}
