package io.pgsearch.connect.sink;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import io.pgsearch.connect.sink.config.BehaviorOnMalformedDocuments;
import io.pgsearch.connect.sink.config.DocumentConfigs;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a record that can never be indexed: to the dead letter queue with the reason in its
 * headers when there is one, then as {@code behavior.on.malformed.documents} says. Logs name the
 * record's position and the error type, never its contents.
 */
final class MalformedRecords {
  private static final Logger log = LoggerFactory.getLogger(MalformedRecords.class);

  private final ErrantRecordReporter reporter;
  private final BehaviorOnMalformedDocuments behavior;

  MalformedRecords(ErrantRecordReporter reporter, BehaviorOnMalformedDocuments behavior) {
    this.reporter = reporter;
    this.behavior = behavior;
  }

  void handle(SinkRecord record, RecordPosition position, String errorType, String reason) {
    String message = "Record " + position + " cannot be indexed (" + errorType + "): " + reason;
    if (reporter != null) {
      reporter.report(withErrorHeaders(record, errorType, reason), new ConnectException(message));
    }
    switch (behavior) {
      case FAIL -> {
        if (reporter != null) {
          // The reason stays in the dead letter's headers: it may quote a value.
          log.warn(
              "Record {} cannot be indexed ({}): sent to the dead letter queue with the reason",
              position,
              errorType);
        } else {
          throw new ConnectException(
              message
                  + ". Configure a dead letter queue (errors.tolerance=all,"
                  + " errors.deadletterqueue.topic.name) or set "
                  + DocumentConfigs.BEHAVIOR_ON_MALFORMED_DOCUMENTS
                  + " to warn or ignore to skip such records.");
        }
      }
      case WARN ->
          log.warn(
              "Skipping record {} that cannot be indexed ({}){}",
              position,
              errorType,
              reporter == null ? "" : "; its reason is in the dead letter queue");
      case IGNORE -> {}
    }
  }

  /** A copy at the record's original position, with the error in headers for the DLQ. */
  private static SinkRecord withErrorHeaders(SinkRecord record, String errorType, String reason) {
    Headers headers = new ConnectHeaders(record.headers());
    headers.addString(PgsearchHeaders.ERROR_TYPE, errorType);
    headers.addString(PgsearchHeaders.ERROR_REASON, reason);
    // A plain SinkRecord (not the runtime's internal one) so the reporter writes these headers.
    return new SinkRecord(
        record.originalTopic(),
        record.originalKafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.originalKafkaOffset(),
        record.timestamp(),
        record.timestampType(),
        headers);
  }
}
