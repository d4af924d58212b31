package io.pgsearch.connect.source;

import io.pgsearch.connect.transforms.ConfigEnums;
import org.apache.kafka.common.config.ConfigDef;

/** How the rows the captured tables hold when the connector first starts are read. */
public enum InitialLoad {
  /**
   * Debezium's initial snapshot: one consistent read of every table before streaming starts. A task
   * that stops in the middle reads every table again from the start.
   */
  BLOCKING,
  /**
   * One incremental snapshot per table, in chunks by key while changes stream: the position of the
   * last chunk is kept in the source offsets, so a task that stops in the middle resumes there.
   */
  INCREMENTAL;

  public static final ConfigDef.Validator VALIDATOR = ConfigEnums.validator(InitialLoad.class);

  public static InitialLoad parse(String key, String value) {
    return ConfigEnums.parse(InitialLoad.class, key, value);
  }

  @Override
  public String toString() {
    return ConfigEnums.value(this);
  }
}
