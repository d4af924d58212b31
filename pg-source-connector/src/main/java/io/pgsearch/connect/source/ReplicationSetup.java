package io.pgsearch.connect.source;

import io.pgsearch.connect.source.CapturePlan.CapturedTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or updates, in one transaction, what Debezium runs on: replica identities the user
 * allowed us to set, the signal table, the re-sync function, the record of captured tables, and the
 * publication holding exactly the captured tables with their row filters plus the signal table.
 * Debezium's own publication auto-creation is disabled: it cannot express row filters. A row filter
 * changed since the last start gets, in the same transaction, the snapshots that make the index
 * follow it ({@link RowFilterChanges}).
 */
final class ReplicationSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationSetup.class);

  private final PostgresSourceConfig config;
  private final Connection connection;

  ReplicationSetup(PostgresSourceConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
  }

  /**
   * Applies the plan; returns the captured tables that appeared after the initial snapshot, each
   * with its snapshot request (see {@link CapturedTables}).
   */
  Map<TableName, NewTableSnapshots.Request> apply(CapturePlan plan) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (CapturedTable table : plan.captured()) {
        if (table.setIdentityFull()) {
          LOG.info(
              "Setting REPLICA IDENTITY FULL on {} ({}=true)",
              table.name(),
              PostgresSourceConfig.REPLICA_IDENTITY_AUTOSET);
          execute("ALTER TABLE " + table.name().quoted() + " REPLICA IDENTITY FULL");
        }
      }
      TableName signal = config.signalTable();
      execute(
          "CREATE TABLE IF NOT EXISTS "
              + signal.quoted()
              + " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text)");
      execute(ResyncFunction.createSql(config.resyncFunction(), signal, plan.captured()));
      execute(
          ResyncFunction.createSql(
              ResyncFunction.Kind.REBUILD, config.rebuildFunction(), signal, plan.captured()));
      Map<TableName, NewTableSnapshots.Request> discovered =
          new CapturedTables(connection, config.capturedTablesTable()).record(plan.captured());
      String publication = TableName.quote(config.publicationName());
      String tables = publicationTables(plan, signal);
      PostgresCatalog catalog = new PostgresCatalog(connection);
      boolean exists = catalog.publicationOwned(config.publicationName()).isPresent();
      if (exists) {
        Map<TableName, String> before = catalog.publicationRowFilters(config.publicationName());
        execute("ALTER PUBLICATION " + publication + " SET TABLE " + tables);
        Map<TableName, String> after = catalog.publicationRowFilters(config.publicationName());
        signalFilterChanges(RowFilterChanges.between(before, after), signal);
      } else {
        execute(
            "CREATE PUBLICATION "
                + publication
                + " FOR TABLE "
                + tables
                + " WITH (publish = 'insert, update, delete, truncate')");
      }
      connection.commit();
      LOG.info(
          "Publication {} holds {} captured table(s) and the signal table {}",
          config.publicationName(),
          plan.captured().size(),
          signal);
      return discovered;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Asks for the snapshots of rows entering and leaving each changed filter. The signals commit
   * with the publication change, so they are read exactly once, after it, from the WAL.
   */
  private void signalFilterChanges(List<RowFilterChanges.Change> changes, TableName signal)
      throws SQLException {
    for (RowFilterChanges.Change change : changes) {
      LOG.info(
          "The row filter of {} changed from {} to {}: rows leaving it are deleted from the index"
              + " and rows entering it are snapshotted, while streaming",
          change.table(),
          change.before() == null ? "none" : change.before(),
          change.after() == null ? "none" : change.after());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO "
                  + signal.quoted()
                  + " (id, type, data) VALUES (?, 'execute-snapshot', ?)")) {
        for (String[] idAndData : RowFilterChanges.signals(change)) {
          insert.setString(1, idAndData[0]);
          insert.setString(2, idAndData[1]);
          insert.executeUpdate();
        }
      }
    }
  }

  static String publicationTables(CapturePlan plan, TableName signal) {
    List<String> entries = new ArrayList<>();
    for (CapturedTable table : plan.captured()) {
      entries.add(
          table.filter() == null
              ? table.name().quoted()
              : table.name().quoted() + " WHERE (" + table.filter() + ")");
    }
    entries.add(signal.quoted());
    return String.join(", ", entries);
  }

  /** One command per prepared statement: a row filter cannot smuggle in a second command. */
  private void execute(String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
