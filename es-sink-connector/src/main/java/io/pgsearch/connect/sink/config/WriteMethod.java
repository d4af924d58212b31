package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.transforms.ConfigEnums;
import org.apache.kafka.common.config.ConfigDef;

/** How a record with a value is written. */
public enum WriteMethod {
  /** Index the whole document, replacing any previous one (versioned when the header is set). */
  INSERT,
  /** Update the document with the record's fields, creating it when missing (never versioned). */
  UPSERT;

  public static final ConfigDef.Validator VALIDATOR = ConfigEnums.validator(WriteMethod.class);

  public static WriteMethod parse(String key, String value) {
    return ConfigEnums.parse(WriteMethod.class, key, value);
  }

  @Override
  public String toString() {
    return ConfigEnums.value(this);
  }
}
