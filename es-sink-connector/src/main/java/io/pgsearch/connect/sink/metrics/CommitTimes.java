package io.pgsearch.connect.sink.metrics;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.util.Set;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The commit time of the row change a record carries ({@link PgsearchHeaders#COMMIT_TS}), from
 * which the sink measures how long a change took to be indexed (its bulk acknowledged).
 */
public final class CommitTimes {
  /**
   * The operations timed: streamed row changes. A snapshot row's header holds the time it was read,
   * and a truncate stands for many documents, so neither says how late a change is.
   */
  private static final Set<String> STREAMED_CHANGES = Set.of("c", "u", "d");

  private CommitTimes() {}

  /**
   * The commit time in epoch milliseconds of the streamed row change the record carries, or null
   * for any other record (a snapshot row, a truncate, a record without the transforms' headers).
   */
  public static Long streamedChangeMs(SinkRecord record) {
    if (record == null || !STREAMED_CHANGES.contains(text(record, PgsearchHeaders.OP))) {
      return null;
    }
    Header header = record.headers().lastWithName(PgsearchHeaders.COMMIT_TS);
    Object value = header == null ? null : header.value();
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      // A worker whose header converter reads headers as strings (not Connect's default).
      return value == null ? null : Long.valueOf(value.toString().strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String text(SinkRecord record, String name) {
    Header header = record.headers().lastWithName(name);
    return header == null || header.value() == null ? "" : header.value().toString();
  }
}
