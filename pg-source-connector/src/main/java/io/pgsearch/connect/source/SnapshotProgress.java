package io.pgsearch.connect.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.data.Envelope;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of incremental snapshots (the incremental initial load, new tables, re-syncs,
 * rebuilds), logged per table at most once per interval: rows read, of about how many (PostgreSQL's
 * estimate, {@code pg_class.reltuples}), and the time left at the rate so far. Never a row value.
 *
 * <p>The count of the snapshot being read is kept in each of its records' source offsets beside
 * Debezium's position, so a task that resumes a snapshot after a restart counts on from the
 * committed chunk rather than from zero.
 */
final class SnapshotProgress {
  static final String ID_KEY = "pgsearch_snapshot_id";
  static final String ROWS_KEY = "pgsearch_snapshot_rows";

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotProgress.class);
  private static final String COLLECTION_ID = FilterExitDeletes.COLLECTIONS + "_id";
  private static final String CORRELATION_ID = FilterExitDeletes.COLLECTIONS + "_correlation_id";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Debezium's offset key of records its (blocking) snapshot emits. */
  private static final String SNAPSHOT = "snapshot";

  /** The snapshot Debezium reads now: the first of those its offset holds. */
  record Running(String id, TableName table) {}

  private final Function<TableName, OptionalLong> estimates;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private String lastCollections;
  private Running lastRunning;
  private Running current;
  private long rows;
  private long estimate = -1;
  private long rowsAtStart;
  private boolean started;
  private long startedNanos;
  private long loggedNanos;

  /**
   * @param committed the offset the task starts from (null on a first start), holding the count of
   *     a snapshot it resumes
   * @param estimates a table's estimated row count, empty when unknown
   */
  SnapshotProgress(
      Map<String, ?> committed,
      Function<TableName, OptionalLong> estimates,
      Duration interval,
      LongSupplier nanoClock) {
    this.estimates = estimates;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    if (committed != null
        && committed.get(ID_KEY) instanceof String id
        && committed.get(ROWS_KEY) instanceof Number count) {
      Running resumed = running(committed);
      if (resumed != null && resumed.id().equals(id)) {
        current = resumed;
        rows = count.longValue();
      }
    }
  }

  /** Counts the rows the records read and stamps the count into their offsets, in place. */
  void apply(List<SourceRecord> records) {
    ListIterator<SourceRecord> each = records.listIterator();
    while (each.hasNext()) {
      SourceRecord record = each.next();
      Map<String, ?> offset = record.sourceOffset();
      Running running = offset == null ? null : cachedRunning(offset);
      if (running == null) {
        if (current != null && isRead(record, current.table())) {
          // The first chunk Debezium reads when it resumes a snapshot carries no snapshot state.
          rows++;
        } else if (offset != null && !offset.containsKey(SNAPSHOT)) {
          finish(); // a streamed record after the snapshot's last chunk
        }
        continue;
      }
      if (!running.equals(current) || !started) {
        begin(running);
      }
      if (isRead(record, running.table())) {
        rows++;
      }
      Map<String, Object> stamped = new HashMap<>(offset);
      stamped.put(ID_KEY, running.id());
      stamped.put(ROWS_KEY, rows);
      each.set(SourceRecordCopy.of(record, stamped, record.headers()));
    }
    long now = nanoClock.getAsLong();
    if (started && now - loggedNanos >= intervalNanos) {
      loggedNanos = now;
      double seconds = (now - startedNanos) / 1e9;
      double rate = seconds <= 0 ? 0 : (rows - rowsAtStart) / seconds;
      LOG.info(
          "Snapshot {} of {}: {}", current.id(), current.table(), describe(rows, estimate, rate));
    }
  }

  private void begin(Running running) {
    if (!running.equals(current)) {
      finish();
      current = running;
      rows = 0;
    }
    estimate = estimates.apply(running.table()).orElse(-1);
    rowsAtStart = rows;
    started = true;
    startedNanos = nanoClock.getAsLong();
    loggedNanos = startedNanos;
    LOG.info(
        "Snapshot {} of {} {} at {} rows, of about {}",
        running.id(),
        running.table(),
        rows == 0 ? "started" : "resumed",
        rows,
        estimate < 0 ? "an unknown number (never analyzed)" : estimate);
  }

  private void finish() {
    if (current != null) {
      LOG.info("Snapshot {} of {} done: {} rows read", current.id(), current.table(), rows);
      current = null;
      rows = 0;
      started = false;
    }
  }

  private Running cachedRunning(Map<String, ?> offset) {
    Object collections = offset.get(FilterExitDeletes.COLLECTIONS);
    String text = collections instanceof String s ? s : null;
    if (text == null || !text.equals(lastCollections)) {
      // Consecutive records share their offset's snapshot state: read it once.
      lastCollections = text;
      lastRunning = running(offset);
    }
    return lastRunning;
  }

  /** The snapshot an offset says Debezium reads, or null when none is queued. */
  static Running running(Map<String, ?> offset) {
    if (!(offset.get(FilterExitDeletes.COLLECTIONS) instanceof String text) || text.isBlank()) {
      return null;
    }
    try {
      JsonNode first = JSON.readTree(text).path(0);
      String table = first.path(COLLECTION_ID).asText("");
      if (table.isEmpty()) {
        return null;
      }
      return new Running(first.path(CORRELATION_ID).asText(""), TableName.parse(table));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A snapshot read of a row of {@code table}. */
  private static boolean isRead(SourceRecord record, TableName table) {
    return record.value() instanceof Struct value
        && value.schema().field(Envelope.FieldName.OPERATION) != null
        && Envelope.Operation.READ.code().equals(value.getString(Envelope.FieldName.OPERATION))
        && TableName.ofChangeEvent(value).map(table::equals).orElse(false);
  }

  /**
   * "120000 of ~200000 rows (60%), 4000 rows/s, about 20 s left"; without an estimate (or once past
   * it: rows were added) only the rows and the rate.
   */
  static String describe(long rows, long estimate, double rowsPerSecond) {
    String rate = String.format(Locale.ROOT, "%.0f rows/s", rowsPerSecond);
    if (estimate <= 0 || rows > estimate) {
      return rows + " rows, " + rate;
    }
    long percent = rows * 100 / estimate;
    String left =
        rowsPerSecond <= 0
            ? "time left unknown"
            : "about "
                + format(Duration.ofSeconds((long) ((estimate - rows) / rowsPerSecond)))
                + " left";
    return rows + " of ~" + estimate + " rows (" + percent + "%), " + rate + ", " + left;
  }

  /** 45 s, 12 min 5 s, 3 h 20 min. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }

  /** PostgreSQL's estimate of each table's rows; -1 for a table never analyzed (or vacuumed). */
  static long estimate(Connection connection, TableName table) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
      select.setString(1, table.quoted());
      try (ResultSet result = select.executeQuery()) {
        return result.next() ? result.getLong(1) : -1;
      }
    }
  }
}
