package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.changes;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Errors while streaming: permanent SQL errors fail the task, a lost walsender is retried. */
@ExtendWith(DevStackExtension.class)
class RuntimeErrorsIT {
  private static final Duration BOUND = Duration.ofSeconds(45);

  @Test
  void droppedPublicationFailsTheTaskWithSqlStateAndWhatToCheck(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = streaming(postgres, connect, "errors-permanent", "errp");

    try (Connection superuser = postgres.superuserConnection(db);
        Statement statement = superuser.createStatement()) {
      statement.execute("DROP PUBLICATION pgsearch_errors_permanent");
    }
    // pgoutput looks the publication up again when it decodes the next change, and fails.
    sql(postgres, db, "INSERT INTO items VALUES (2, 'after drop')");

    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              JsonNode task = task(connect, "errors-permanent");
              assertThat(task.path("state").asText()).as("task %s", task).isEqualTo("FAILED");
              assertThat(task.path("trace").asText())
                  .contains("Permanent PostgreSQL error (SQLSTATE 42704)")
                  .contains("publication \"pgsearch_errors_permanent\" does not exist")
                  .contains("Check that publication pgsearch_errors_permanent");
            });
    assertThat(changes(connect, "errp.public.items")).extracting(e -> e.id()).containsExactly(1);
    SourceFixture.stop(connect, "errors-permanent");
  }

  @Test
  void terminatedWalsenderIsRetriedAndStreamingResumes(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = streaming(postgres, connect, "errors-transient", "errt");
    String slot = "pgsearch_errors_transient";
    int walsender = activePid(postgres, db, slot);

    try (Connection superuser = postgres.superuserConnection(db);
        PreparedStatement statement =
            superuser.prepareStatement("SELECT pg_terminate_backend(?)")) {
      statement.setInt(1, walsender);
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next() && rows.getBoolean(1)).as("walsender terminated").isTrue();
      }
    }

    // A new walsender on the slot: Debezium retried (pgjdbc reports the lost stream as 08006).
    await()
        .atMost(BOUND)
        .until(
            () -> {
              int pid = activePid(postgres, db, slot);
              return pid != 0 && pid != walsender;
            });
    sql(postgres, db, "INSERT INTO items VALUES (2, 'after reconnect')");
    await()
        .atMost(BOUND)
        .until(() -> changes(connect, "errt.public.items").stream().anyMatch(e -> e.id() == 2));
    assertThat(task(connect, "errors-transient").path("state").asText()).isEqualTo("RUNNING");
    SourceFixture.stop(connect, "errors-transient");
  }

  /** A connector streaming one table, its first row already on the topic. */
  private static String streaming(
      PostgresNode postgres, ConnectCluster connect, String name, String prefix)
      throws SQLException {
    String db = postgres.createDatabase(prefix);
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, name text)",
        "INSERT INTO items VALUES (1, 'before')");
    Map<String, String> config = config(postgres, db, prefix);
    config.put("tables", "items");
    // Debezium's wait before restarting after a retriable error (10 s by default).
    config.put("retriable.restart.connector.wait.ms", "1000");
    SourceFixture.start(connect, name, config);
    await().atMost(TIMEOUT).until(() -> changes(connect, prefix + ".public.items").size() == 1);
    return db;
  }

  private static JsonNode task(ConnectCluster connect, String name) {
    return connect.rest().get("/connectors/" + name + "/status").ok().body().path("tasks").path(0);
  }

  /** The pid of the walsender streaming from the slot, 0 when none is. */
  private static int activePid(PostgresNode postgres, String db, String slot) throws SQLException {
    try (Connection superuser = postgres.superuserConnection(db);
        PreparedStatement statement =
            superuser.prepareStatement(
                "SELECT coalesce(active_pid, 0) FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }
}
