package io.pgsearch.connect.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which PostgreSQL history the connector reads: the cluster's system identifier (new for a cluster
 * created by initdb, e.g. one a dump is restored into) and its timeline (new after a point-in-time
 * recovery or a promotion), with the current WAL position. LSNs only order changes within one
 * history; across two they can go back.
 */
record ServerIdentity(String systemIdentifier, long timeline, long currentLsn) {

  /** Reads the server's identity; the system identifier and timeline are null and 0 if hidden. */
  static ServerIdentity of(Connection connection) throws SQLException {
    long lsn;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
      rows.next();
      lsn = rows.getLong(1);
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT s.system_identifier::text, c.timeline_id"
                    + " FROM pg_control_system() s, pg_control_checkpoint() c")) {
      rows.next();
      return new ServerIdentity(rows.getString(1), rows.getLong(2), lsn);
    } catch (SQLException e) {
      // A role without access to the control data: the WAL position alone must tell.
      return new ServerIdentity(null, 0, lsn);
    }
  }
}
