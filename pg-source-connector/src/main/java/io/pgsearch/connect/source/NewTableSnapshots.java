package io.pgsearch.connect.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The incremental snapshots of tables that appeared after the initial snapshot. The connector
 * passes them to the task in its configuration; the task, once started with those tables in its
 * include list, inserts one {@code execute-snapshot} signal per table into the signal table, with
 * an id that is the table's own ({@link CapturedTables}): a signal is inserted once, so a task that
 * restarts does not snapshot the table again, and one that crashed before reading the signal reads
 * it when it replays the WAL from its last committed position.
 *
 * <p>The signal must come from the task, not from the connector: a task still running with the old
 * include list would read it and skip the table it does not know.
 */
final class NewTableSnapshots {
  static final String SIGNAL_ID_PREFIX = "pgsearch-new-table-";

  /** Task config keys: {@code <prefix>count}, then {@code <prefix><i>.table/signal/filter}. */
  static final String TASK_PREFIX = "pgsearch.task.new.table.";

  /** A discovered table's snapshot: its signal's id and its row filter (or null). */
  record Request(String signalId, String filter) {}

  /** A request with its table, as the task reads it. */
  record Entry(String table, String signalId, String filter) {}

  private NewTableSnapshots() {}

  static void writeTo(Map<String, String> taskConfig, Map<TableName, Request> requests) {
    writeTo(TASK_PREFIX, taskConfig, requests);
  }

  /** Writes the requests under task config keys starting with {@code prefix}. */
  static void writeTo(
      String prefix, Map<String, String> taskConfig, Map<TableName, Request> requests) {
    int i = 0;
    for (Map.Entry<TableName, Request> request : requests.entrySet()) {
      taskConfig.put(prefix + i + ".table", request.getKey().toString());
      taskConfig.put(prefix + i + ".signal", request.getValue().signalId());
      if (request.getValue().filter() != null) {
        taskConfig.put(prefix + i + ".filter", request.getValue().filter());
      }
      i++;
    }
    taskConfig.put(prefix + "count", String.valueOf(i));
  }

  static List<Entry> readFrom(Function<String, String> taskConfig) {
    return readFrom(TASK_PREFIX, taskConfig);
  }

  /** The requests written under {@code prefix}, in their order. */
  static List<Entry> readFrom(String prefix, Function<String, String> taskConfig) {
    String count = taskConfig.apply(prefix + "count");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; count != null && i < Integer.parseInt(count); i++) {
      entries.add(
          new Entry(
              taskConfig.apply(prefix + i + ".table"),
              taskConfig.apply(prefix + i + ".signal"),
              taskConfig.apply(prefix + i + ".filter")));
    }
    return entries;
  }

  /** Inserts each entry's signal unless one with its id was inserted before; the count added. */
  static int signal(Connection connection, TableName signalTable, List<Entry> entries)
      throws SQLException {
    int added = 0;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + signalTable.quoted()
                + " (id, type, data) VALUES (?, 'execute-snapshot', ?) ON CONFLICT (id) DO NOTHING")) {
      for (Entry entry : entries) {
        insert.setString(1, entry.signalId());
        insert.setString(2, data(entry));
        added += insert.executeUpdate();
      }
    }
    return added;
  }

  /** Debezium's execute-snapshot data: incremental, the table, its row filter if any. */
  static String data(Entry entry) {
    String table = ResyncFunction.json(entry.table());
    String conditions =
        entry.filter() == null
            ? "[]"
            : "[{\"data-collection\":"
                + table
                + ",\"filter\":"
                + ResyncFunction.json(entry.filter())
                + "}]";
    return "{\"type\":\"incremental\",\"data-collections\":["
        + table
        + "],\"additional-conditions\":"
        + conditions
        + "}";
  }
}
