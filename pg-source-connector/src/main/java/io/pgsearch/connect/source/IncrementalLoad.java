package io.pgsearch.connect.source;

import io.debezium.config.CommonConnectorConfig;
import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The initial load as incremental snapshots ({@code initial.load=incremental}): Debezium starts
 * with {@code snapshot.mode=no_data}, and the task asks for one incremental snapshot per captured
 * table through the signal table. Debezium keeps each snapshot's last chunk in the source offsets,
 * so a task that stops in the middle resumes there.
 *
 * <p>Whether to load is read from the offsets: only a task that starts with none committed asks (a
 * restart after the load, or in the middle of it, does not). The signals must be read from the WAL,
 * so they are inserted after Debezium created the slot at its first start (its stream begins where
 * the slot was created); a slot left by an earlier start that committed nothing would begin the
 * stream after them, so it is dropped first. Nothing is lost by that: the load reads every row.
 */
final class IncrementalLoad {
  /** Task config keys: {@code <prefix>count}, then {@code <prefix><i>.table/signal/filter}. */
  static final String TASK_PREFIX = "pgsearch.task.load.";

  static final String SIGNAL_ID_PREFIX = "pgsearch-load-";

  /** Debezium's key for the rows per chunk, passed through; its default, for the log. */
  static final String CHUNK_SIZE = CommonConnectorConfig.INCREMENTAL_SNAPSHOT_CHUNK_SIZE.name();

  static final String CHUNK_SIZE_DEFAULT =
      String.valueOf(CommonConnectorConfig.INCREMENTAL_SNAPSHOT_CHUNK_SIZE.defaultValue());

  private static final DateTimeFormatter ATTEMPT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  private IncrementalLoad() {}

  /** Writes the tables to load, in the order given, with their row filters. */
  static void writeTo(Map<String, String> taskConfig, List<CapturedTable> tables) {
    Map<TableName, NewTableSnapshots.Request> requests = new LinkedHashMap<>();
    tables.forEach(
        t -> requests.put(t.name(), new NewTableSnapshots.Request(SIGNAL_ID_PREFIX, t.filter())));
    NewTableSnapshots.writeTo(TASK_PREFIX, taskConfig, requests);
  }

  /** Whether the task config asks for an incremental initial load. */
  static boolean configured(Function<String, String> taskConfig) {
    return taskConfig.apply(TASK_PREFIX + "count") != null;
  }

  /**
   * The signals of one load, with ids unique to the attempt started at {@code now}: a start that
   * committed nothing loads again, and its signals must not collide with the earlier ones.
   */
  static List<NewTableSnapshots.Entry> signals(Function<String, String> taskConfig, Instant now) {
    String attempt = SIGNAL_ID_PREFIX + ATTEMPT.format(now) + "-";
    List<NewTableSnapshots.Entry> signals = new ArrayList<>();
    List<NewTableSnapshots.Entry> tables = NewTableSnapshots.readFrom(TASK_PREFIX, taskConfig);
    for (int i = 0; i < tables.size(); i++) {
      NewTableSnapshots.Entry table = tables.get(i);
      signals.add(new NewTableSnapshots.Entry(table.table(), attempt + i, table.filter()));
    }
    return signals;
  }

  /**
   * Drops the connector's slot if an earlier start that committed nothing left it; fails, to be
   * retried, while another process (a task not yet stopped) streams from it.
   *
   * @return whether a slot was dropped
   */
  static boolean dropAbandonedSlot(Connection connection, String slot) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database ="
                + " current_database()")) {
      select.setString(1, slot);
      try (ResultSet result = select.executeQuery()) {
        if (!result.next()) {
          return false;
        }
        if (result.getBoolean(1)) {
          throw new SlotInUse(slot);
        }
      }
    }
    try (PreparedStatement drop =
        connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      drop.setString(1, slot);
      drop.execute();
    }
    return true;
  }

  /** The slot to drop is streamed from by another process. */
  static final class SlotInUse extends RuntimeException {
    SlotInUse(String slot) {
      super(
          "Replication slot "
              + slot
              + " is in use by another process: the load starts once it is released");
    }
  }
}
