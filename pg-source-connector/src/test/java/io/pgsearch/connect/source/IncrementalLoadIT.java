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
import io.pgsearch.connect.source.SourceFixture.Event;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code initial.load=incremental}: every table's rows are read by an incremental snapshot with its
 * row filter applied, a table without a primary key by its {@code message.key.columns}; a table
 * created later is snapshotted as with the blocking load, and a restart after the load does not
 * load again.
 */
@ExtendWith(DevStackExtension.class)
class IncrementalLoadIT {

  @Test
  void everyTableIsLoadedOnceWithItsFilterWhileChangesStream(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("incload");
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, in_stock boolean NOT NULL)",
        "INSERT INTO products SELECT g, g % 2 = 0 FROM generate_series(1, 40) g",
        "CREATE TABLE stock (sku text NOT NULL, warehouse int NOT NULL, quantity int)",
        "INSERT INTO stock SELECT 'sku' || g, g % 3, g FROM generate_series(1, 30) g",
        "ALTER TABLE products REPLICA IDENTITY FULL",
        "ALTER TABLE stock REPLICA IDENTITY FULL");
    Map<String, String> config = config(postgres, db, "il");
    config.put("initial.load", "incremental");
    config.put("incremental.snapshot.chunk.size", "7");
    config.put("row.filter.public.products", "in_stock");
    config.put("message.key.columns", "public.stock:sku,warehouse");
    config.put("tables.discovery.interval.ms", "1000");
    SourceFixture.start(connect, "incload", config);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(reads(connect, "il.public.products"))
                  .extracting(Event::id)
                  .as("the row filter applies to the load")
                  .containsExactlyInAnyOrderElementsOf(
                      IntStream.rangeClosed(1, 20).map(i -> 2 * i).boxed().toList());
              assertThat(reads(connect, "il.public.stock"))
                  .as("chunked by the key columns")
                  .hasSize(30);
            });
    sql(postgres, db, "UPDATE products SET in_stock = true WHERE id = 1");
    await()
        .atMost(TIMEOUT)
        .until(() -> changes(connect, "il.public.products").stream().anyMatch(e -> e.id() == 1));

    sql(
        postgres,
        db,
        "CREATE TABLE reviews (id int PRIMARY KEY, stars int)",
        "INSERT INTO reviews SELECT g, g % 5 FROM generate_series(1, 12) g");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(reads(connect, "il.public.reviews")).as("a new table").hasSize(12));

    // After a restart, a change streams and nothing is read again.
    connect.rest().post("/connectors/incload/restart?includeTasks=true", null);
    connect.rest().awaitRunning("incload", 1, TIMEOUT);
    sql(postgres, db, "INSERT INTO products VALUES (41, true)");
    await()
        .atMost(TIMEOUT)
        .until(() -> changes(connect, "il.public.products").stream().anyMatch(e -> e.id() == 41));
    assertThat(reads(connect, "il.public.products")).hasSize(20);
    assertThat(reads(connect, "il.public.stock")).hasSize(30);
    assertThat(reads(connect, "il.public.reviews")).hasSize(12);
    try (var connection = postgres.connect(db);
        var statement = connection.createStatement();
        var signals =
            statement.executeQuery(
                "SELECT count(*) FROM pgsearch_incload_signal WHERE id LIKE 'pgsearch-load-%'")) {
      signals.next();
      assertThat(signals.getInt(1)).as("one load: a signal per table").isEqualTo(2);
    }
    assertThat(connect.rest().get("/connectors/incload/status").body().toString())
        .doesNotContain("FAILED");
    SourceFixture.stop(connect, "incload");
  }

  private static List<Event> reads(ConnectCluster connect, String topic) {
    return changes(connect, topic).stream().filter(e -> "r".equals(e.op())).toList();
  }
}
