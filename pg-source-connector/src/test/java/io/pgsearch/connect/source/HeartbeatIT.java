package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.changes;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With the default heartbeat, the slot keeps advancing while only uncaptured tables change. */
@ExtendWith(DevStackExtension.class)
class HeartbeatIT {

  @Test
  void slotAdvancesWhileTheCapturedTableIsIdleAndAnUncapturedOneIsBusy(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("heartbeat");
    sql(
        postgres,
        db,
        "CREATE TABLE idle (id int PRIMARY KEY)",
        "CREATE TABLE busy (id bigserial PRIMARY KEY, payload text)",
        "INSERT INTO idle VALUES (1)");
    Map<String, String> config = config(postgres, db, "hb");
    config.put("tables", "idle");
    SourceFixture.start(connect, "heartbeat-src", config);
    await().atMost(TIMEOUT).until(() -> changes(connect, "hb.public.idle").size() == 1);

    // Write to the uncaptured table only, then require the slot to confirm past that WAL.
    String target = busyWrites(postgres, db);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              busyWrites(postgres, db);
              assertThat(confirmedPast(postgres, db, "pgsearch_heartbeat_src", target))
                  .as("confirmed_flush_lsn of the slot has passed %s", target)
                  .isTrue();
            });
    assertThat(changes(connect, "hb.public.idle")).hasSize(1);
    SourceFixture.stop(connect, "heartbeat-src");
  }

  /** Inserts into the busy table; returns the WAL position after the writes. */
  private static String busyWrites(PostgresNode postgres, String db) throws SQLException {
    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO busy (payload) SELECT repeat('x', 200) FROM generate_series(1, 500)");
      try (ResultSet rows = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        rows.next();
        return rows.getString(1);
      }
    }
  }

  private static boolean confirmedPast(PostgresNode postgres, String db, String slot, String lsn)
      throws SQLException {
    try (Connection connection = postgres.connect(db);
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots"
                    + " WHERE slot_name = ?")) {
      statement.setString(1, lsn);
      statement.setString(2, slot);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }
}
