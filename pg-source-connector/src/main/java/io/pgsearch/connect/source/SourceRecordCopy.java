package io.pgsearch.connect.source;

import java.util.Map;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;

/** Copies of a source record with another offset or headers: SourceRecord has no such method. */
final class SourceRecordCopy {
  private SourceRecordCopy() {}

  /** {@code record} at {@code offset}, with {@code headers}. */
  static SourceRecord of(SourceRecord record, Map<String, ?> offset, Headers headers) {
    return new SourceRecord(
        record.sourcePartition(),
        offset,
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.timestamp(),
        headers);
  }
}
