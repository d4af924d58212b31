package io.pgsearch.connect.e2e;

import static io.pgsearch.connect.e2e.ShippedPair.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database is restored from a backup onto another server (a new PostgreSQL cluster: new system
 * identifier, LSNs far behind the ones indexed): the shipped connectors, pointed at it, re-read
 * every table in a new generation, whose versions the index takes, and remove the documents of rows
 * the restored database does not have. Changes made after the restore are applied.
 */
@ExtendWith(DevStackExtension.class)
class RestoredDatabaseIT {
  private static final String SCHEMA =
      "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price numeric(10, 2))";

  /** Both servers are this test's own (see {@link ShippedPair}). */
  @Test
  void aRestoredDatabaseBecomesANewGenerationAndTheIndexFollowsIt(SearchNode elasticsearch)
      throws Exception {
    try (ShippedPair pair = ShippedPair.start("restored");
        PostgresNode restored = ShippedPair.anotherPostgres()) {
      PostgresNode postgres = pair.postgres();
      String database = postgres.createDatabase("shop");
      sql(
          postgres,
          database,
          SCHEMA,
          "INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 100) g");
      pair.createConnectors(database, elasticsearch);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      es.awaitCount("items", 100);
      // The original server goes on writing WAL: its LSNs end far ahead of the restored one's.
      sql(postgres, database, "UPDATE items SET name = 'updated ' || id WHERE id <= 10");
      try (Connection superuser = postgres.superuserConnection(database);
          Statement sql = superuser.createStatement()) {
        for (int i = 0; i < 3; i++) {
          sql.execute("SELECT pg_switch_wal()");
          sql.execute("UPDATE items SET price = price + 1 WHERE id = 100");
        }
      }
      await()
          .atMost(PackagingIT.WAIT)
          .until(() -> "updated 10".equals(es.source("items", "10").path("name").asText()));

      // The backup: items 1-60 with older values, and one the original never had.
      String restoredDatabase = restored.createDatabase("shop");
      sql(
          restored,
          restoredDatabase,
          SCHEMA,
          "INSERT INTO items SELECT g, 'restored ' || g, g FROM generate_series(1, 60) g",
          "INSERT INTO items VALUES (101, 'only in the backup', 1.01)");
      ConnectRest rest = pair.worker().rest();
      Map<String, String> config =
          PackagingIT.JSON.convertValue(
              rest.get("/connectors/pg-source/config").ok().body(),
              new TypeReference<Map<String, String>>() {});
      config.put("database.hostname", restored.host());
      config.put("database.port", String.valueOf(restored.port()));
      config.put("database.user", restored.user());
      config.put("database.password", restored.password());
      config.put("database.dbname", restoredDatabase);
      rest.put("/connectors/pg-source/config", config).ok();

      es.awaitCount("items", 61);
      assertThat(es.source("items", "1").path("name").asText()).isEqualTo("restored 1");
      assertThat(es.source("items", "10").path("name").asText()).isEqualTo("restored 10");
      assertThat(es.source("items", "101").path("price").toString()).isEqualTo("1.01");
      assertThat(es.source("items", "61")).as("not in the backup").isNull();

      // The restored server's own changes, at LSNs below everything indexed before, are applied.
      sql(
          restored,
          restoredDatabase,
          "UPDATE items SET name = 'after the restore' WHERE id = 1",
          "DELETE FROM items WHERE id = 2",
          "INSERT INTO items VALUES (102, 'new', 1.02)");
      await()
          .atMost(PackagingIT.WAIT)
          .untilAsserted(
              () -> {
                assertThat(es.source("items", "1").path("name").asText())
                    .isEqualTo("after the restore");
                assertThat(es.source("items", "2")).isNull();
                assertThat(es.source("items", "102")).isNotNull();
              });
      assertThat(rest.get("/connectors/pg-source/status").body().toString())
          .doesNotContain("FAILED");
      assertThat(rest.get("/connectors/es-sink/status").body().toString()).doesNotContain("FAILED");
    }
  }
}
