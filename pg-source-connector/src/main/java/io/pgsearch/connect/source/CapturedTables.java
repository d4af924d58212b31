package io.pgsearch.connect.source;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers, in a table beside the signal table ({@code pgsearch_<connector>_tables}), which tables
 * the connector captures, so that a table appearing later (created under {@code tables=*}) is told
 * from the tables the initial snapshot read: Debezium snapshots only at the first start, so a new
 * table's existing rows need an incremental snapshot of their own ({@link NewTableSnapshots}).
 *
 * <p>The first time (an empty state table), every captured table is recorded as read by the initial
 * snapshot. Afterwards a table not yet recorded is recorded as discovered, with a sequence number
 * that makes its snapshot signal's id; a table no longer captured (dropped) is forgotten, so one
 * created again under the same name is discovered again.
 */
final class CapturedTables {
  private final Connection connection;
  private final TableName state;

  CapturedTables(Connection connection, TableName state) {
    this.connection = connection;
    this.state = state;
  }

  /**
   * Records the captured tables (in the caller's transaction) and returns the discovered ones that
   * are still captured: each with the id of its snapshot signal and its row filter.
   */
  Map<TableName, NewTableSnapshots.Request> record(List<CapturedTable> captured)
      throws SQLException {
    execute(
        "CREATE TABLE IF NOT EXISTS "
            + state.quoted()
            + " (name text PRIMARY KEY, seq bigserial NOT NULL, discovered boolean NOT NULL,"
            + " recorded_at timestamptz NOT NULL DEFAULT now())");
    boolean first = isEmpty();
    String[] names = captured.stream().map(t -> t.name().toString()).toArray(String[]::new);
    try (PreparedStatement forget =
        connection.prepareStatement("DELETE FROM " + state.quoted() + " WHERE name <> ALL(?)")) {
      Array array = connection.createArrayOf("text", names);
      forget.setArray(1, array);
      forget.executeUpdate();
    }
    try (PreparedStatement add =
        connection.prepareStatement(
            "INSERT INTO "
                + state.quoted()
                + " (name, discovered) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
      for (String name : names) {
        add.setString(1, name);
        add.setBoolean(2, !first);
        add.executeUpdate();
      }
    }
    Map<String, CapturedTable> byName = new LinkedHashMap<>();
    captured.forEach(t -> byName.put(t.name().toString(), t));
    Map<TableName, NewTableSnapshots.Request> discovered = new LinkedHashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT name, seq FROM " + state.quoted() + " WHERE discovered ORDER BY seq");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        CapturedTable table = byName.get(rows.getString(1));
        if (table != null) {
          discovered.put(
              table.name(),
              new NewTableSnapshots.Request(
                  NewTableSnapshots.SIGNAL_ID_PREFIX + rows.getLong(2), table.filter()));
        }
      }
    }
    return discovered;
  }

  private boolean isEmpty() throws SQLException {
    try (PreparedStatement count =
            connection.prepareStatement(
                "SELECT NOT EXISTS (SELECT 1 FROM " + state.quoted() + ")");
        ResultSet result = count.executeQuery()) {
      result.next();
      return result.getBoolean(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
