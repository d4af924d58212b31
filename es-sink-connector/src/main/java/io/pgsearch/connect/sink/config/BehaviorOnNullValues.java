package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.transforms.ConfigEnums;
import org.apache.kafka.common.config.ConfigDef;

/** What a record with a null value (a tombstone) does. */
public enum BehaviorOnNullValues {
  /** Deletes the document with the record's id; deleting a missing document succeeds. */
  DELETE,
  /** Skips the record. */
  IGNORE,
  /** Fails the task, naming the record's topic, partition and offset. */
  FAIL;

  public static final ConfigDef.Validator VALIDATOR =
      ConfigEnums.validator(BehaviorOnNullValues.class);

  public static BehaviorOnNullValues parse(String key, String value) {
    return ConfigEnums.parse(BehaviorOnNullValues.class, key, value);
  }

  @Override
  public String toString() {
    return ConfigEnums.value(this);
  }
}
