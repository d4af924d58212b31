package io.pgsearch.connect.sink.bulk;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A buffered record as the task keeps it until it is applied: every field of the record Connect
 * delivered, without the record as it was consumed, which Connect's runtime attaches to each record
 * it delivers ({@code InternalSinkRecord}) for a dead letter queue it writes itself. This task
 * writes its dead letters as copies of the transformed record with the reason in headers ({@code
 * MalformedRecords}), so those consumed bytes were dead weight for as long as the record waited: a
 * change event's key and value with their schemas, about 5 KB, two thirds of what a buffered record
 * of the shipped format took and several times its document. Held by a task's buffer for 0.5-1 s
 * under load, they outlived the young generation's collections and filled the old one: the
 * collector took half of the worker's CPU in the benchmark's sink runs.
 */
final class DetachedRecord {
  private DetachedRecord() {}

  /** {@code record}'s fields in a plain {@link SinkRecord}; null for null. */
  static SinkRecord of(SinkRecord record) {
    if (record == null || record.getClass() == SinkRecord.class) {
      return record;
    }
    return new SinkRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.kafkaOffset(),
        record.timestamp(),
        record.timestampType(),
        record.headers(),
        record.originalTopic(),
        record.originalKafkaPartition(),
        record.originalKafkaOffset());
  }
}
