package io.pgsearch.connect.sink.bulk;

import org.apache.kafka.common.TopicPartition;

/**
 * Where a record came from, before any topic-renaming transform: what offsets are committed for.
 */
public record RecordPosition(TopicPartition partition, long offset) {
  @Override
  public String toString() {
    return partition + "@" + offset;
  }
}
