package io.pgsearch.connect.transforms;

import org.apache.kafka.common.config.ConfigDef;

/** What {@link ChangeEventToDocument} does with a record that is not a row change event. */
public enum NonChangeEventHandling {
  /** Forward the record unchanged (Debezium heartbeats, schema changes, other topics). */
  PASS,
  /** Stop with an error naming the record's topic and partition. */
  FAIL,
  /** Discard the record. */
  DROP;

  /** Accepts the lower-case names, case-insensitively. */
  public static final ConfigDef.Validator VALIDATOR =
      ConfigEnums.validator(NonChangeEventHandling.class);

  /** The value as written in a config: lower case. */
  public String value() {
    return ConfigEnums.value(this);
  }

  /** Parses the value of setting {@code key}, case-insensitively. */
  public static NonChangeEventHandling parse(String key, String value) {
    return ConfigEnums.parse(NonChangeEventHandling.class, key, value);
  }
}
