package io.pgsearch.connect.sink.truncate;

import io.pgsearch.connect.sink.bulk.RecordPosition;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.sink.SinkRecord;

/** What applying a truncate does to the task's writer. */
public interface SweepWrites {
  /**
   * Queues the delete of one document at the truncate's version, for the truncate's record (which a
   * delete Elasticsearch rejects for good is reported with); the result tells when it is done.
   */
  BooleanSupplier delete(
      String index, String id, long version, SinkRecord truncate, RecordPosition position);
}
