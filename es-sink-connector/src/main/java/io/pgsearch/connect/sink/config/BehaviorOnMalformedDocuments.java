package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.transforms.ConfigEnums;
import org.apache.kafka.common.config.ConfigDef;

/**
 * What a record does that can never be indexed: Elasticsearch rejects it for good (a mapping
 * conflict, a parse error) or it cannot become a document (no key, a NaN). In every case it is
 * first sent to the errant record reporter when the connector has one (a dead letter queue, with
 * {@code errors.tolerance=all} and {@code errors.deadletterqueue.topic.name}).
 */
public enum BehaviorOnMalformedDocuments {
  /**
   * With a dead letter queue the record goes there, with a warning naming it and the error type;
   * without one the task fails, naming it.
   */
  FAIL,
  /** Logs a warning naming the record's topic, partition, offset and error type, and skips it. */
  WARN,
  /** Skips the record, counting it in the metrics. */
  IGNORE;

  public static final ConfigDef.Validator VALIDATOR =
      ConfigEnums.validator(BehaviorOnMalformedDocuments.class);

  public static BehaviorOnMalformedDocuments parse(String key, String value) {
    return ConfigEnums.parse(BehaviorOnMalformedDocuments.class, key, value);
  }

  @Override
  public String toString() {
    return ConfigEnums.value(this);
  }
}
