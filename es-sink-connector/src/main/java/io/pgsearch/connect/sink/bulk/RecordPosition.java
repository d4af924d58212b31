package io.pgsearch.connect.sink.bulk;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where a record came from, before any topic-renaming transform: what offsets are committed for.
 */
public record RecordPosition(TopicPartition partition, long offset) {
  /** The record's original position: a transform that renames its topic does not change it. */
  public static RecordPosition of(SinkRecord record) {
    return new RecordPosition(
        new TopicPartition(record.originalTopic(), record.originalKafkaPartition()),
        record.originalKafkaOffset());
  }

  /** {@code topic-partition@offset}: how logs and errors name a record, never by its contents. */
  @Override
  public String toString() {
    return partition + "@" + offset;
  }
}
