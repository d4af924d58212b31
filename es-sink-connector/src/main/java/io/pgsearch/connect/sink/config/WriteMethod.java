package io.pgsearch.connect.sink.config;

import org.apache.kafka.common.config.ConfigDef;

/** How a record with a value is written. */
public enum WriteMethod {
  /** Index the whole document, replacing any previous one (versioned when the header is set). */
  INSERT,
  /** Update the document with the record's fields, creating it when missing (never versioned). */
  UPSERT;

  public static final ConfigDef.Validator VALIDATOR = EnumSetting.validator(WriteMethod.class);

  public static WriteMethod parse(String key, String value) {
    return EnumSetting.parse(WriteMethod.class, key, value);
  }

  @Override
  public String toString() {
    return EnumSetting.lower(this);
  }
}
