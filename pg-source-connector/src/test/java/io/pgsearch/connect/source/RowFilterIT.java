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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A row filter: rows entering it are created, rows leaving it deleted, rows outside never seen. */
@ExtendWith(DevStackExtension.class)
class RowFilterIT {

  @Test
  void rowsCrossingTheFilterAreCreatedOrDeletedAndRowsOutsideNeverAppear(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("filter");
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, name text, in_stock boolean)",
        "INSERT INTO products VALUES (1, 'kettle', true), (2, 'toaster', false),"
            + " (3, 'blender', true)");
    Map<String, String> config = inStockProducts(postgres, db, "flt");
    config.put("replica.identity.autoset", "true");
    SourceFixture.start(connect, "filter-src", config);
    await().atMost(TIMEOUT).until(() -> changes(connect, "flt.public.products").size() >= 2);

    sql(
        postgres,
        db,
        "UPDATE products SET in_stock = false WHERE id = 1", // leaves the filter
        "UPDATE products SET in_stock = true WHERE id = 2", // enters the filter
        "INSERT INTO products VALUES (4, 'grill', false)", // outside
        "UPDATE products SET name = 'big grill' WHERE id = 4", // stays outside
        "DELETE FROM products WHERE id = 4", // outside
        "UPDATE products SET name = 'smoothie blender' WHERE id = 3", // stays inside
        "INSERT INTO products VALUES (5, 'mixer', true)"); // inside, the last change

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<Event> events = changes(connect, "flt.public.products");
              assertThat(events)
                  .extracting(e -> e.op() + e.id())
                  .containsExactly("r1", "r3", "d1", "c2", "u3", "c5");
              assertThat(events.get(3).after().path("in_stock").asBoolean()).isTrue();
              assertThat(events.get(4).after().path("name").asText()).isEqualTo("smoothie blender");
            });
    // The delete of a row leaving the filter is followed by its tombstone, as any delete.
    assertThat(SourceFixture.events(connect, "flt.public.products"))
        .extracting(e -> e.op() == null ? "tombstone" + e.id() : e.op() + e.id())
        .containsSubsequence("d1", "tombstone1", "c2");
    SourceFixture.stop(connect, "filter-src");
  }

  /**
   * A filter changed in the config: after the connector restarts with it, rows that no longer match
   * get a delete and rows that now match a snapshot read, while streaming goes on with the new
   * filter; a row that matches both gets nothing.
   */
  @Test
  void aChangedFilterDeletesRowsLeavingItAndReadsRowsEnteringIt(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("filterchange");
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, name text, in_stock boolean)",
        "INSERT INTO products SELECT g, 'product ' || g, g % 2 = 1 FROM generate_series(1, 8) g",
        "UPDATE products SET in_stock = NULL WHERE id = 7");
    Map<String, String> config = inStockProducts(postgres, db, "fch");
    config.put("replica.identity.autoset", "true");
    SourceFixture.start(connect, "filter-change", config);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "fch.public.products"))
                    .extracting(e -> e.op() + e.id())
                    .containsExactly("r1", "r3", "r5"));

    // Narrowed and widened at once: odd ids in stock leave (but 3), even ids enter.
    config.put("row.filter.public.products", "id % 2 = 0 OR id = 3");
    connect.rest().put("/connectors/filter-change/config", config).ok();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "fch.public.products"))
                    .extracting(e -> e.op() + e.id())
                    .containsExactlyInAnyOrder(
                        "r1", "r3", "r5", "d1", "d5", "d7", "r2", "r4", "r6", "r8"));
    List<Event> events = changes(connect, "fch.public.products");
    assertThat(events.subList(3, 6)).extracting(Event::op).containsOnly("d");
    assertThat(events.subList(6, 10)).extracting(Event::op).containsOnly("r");
    assertThat(events.get(6).after().path("name").asText()).startsWith("product ");

    // Streaming follows the new filter.
    sql(
        postgres,
        db,
        "UPDATE products SET name = 'odd' WHERE id = 1",
        "UPDATE products SET name = 'even' WHERE id = 2");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "fch.public.products"))
                    .extracting(e -> e.op() + e.id())
                    .endsWith("u2"));
    assertThat(changes(connect, "fch.public.products")).hasSize(11);
    SourceFixture.stop(connect, "filter-change");
  }

  @Test
  void aRowEnteringTheFilterCarriesItsUnchangedToastedColumn(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("filtertoast");
    StringBuilder text = new StringBuilder();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 40_000; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    String description = text.toString(); // random letters do not compress: stored out of line
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, in_stock boolean NOT NULL, description text)",
        // The filter's column in the replica identity, the large column not: as samples/shop.sql.
        "CREATE UNIQUE INDEX products_id_in_stock ON products (id, in_stock)",
        "ALTER TABLE products REPLICA IDENTITY USING INDEX products_id_in_stock",
        "INSERT INTO products VALUES (1, false, '" + description + "'), (2, true, 'small')");
    Map<String, String> config = inStockProducts(postgres, db, "fltt");
    SourceFixture.start(connect, "filter-toast-src", config);
    await().atMost(TIMEOUT).until(() -> changes(connect, "fltt.public.products").size() >= 1);

    // Enters the filter; the UPDATE leaves the description unchanged, so PostgreSQL omits it.
    sql(postgres, db, "UPDATE products SET in_stock = true WHERE id = 1");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "fltt.public.products"))
                    .extracting(e -> e.op() + e.id())
                    .containsExactly("r2", "c1"));
    Event entered = changes(connect, "fltt.public.products").get(1);
    assertThat(entered.after().path("description").asText())
        .as("the description read back, not Debezium's unavailable-value placeholder")
        .isEqualTo(description);
    SourceFixture.stop(connect, "filter-toast-src");
  }

  /** The source config capturing products in stock only. */
  private static Map<String, String> inStockProducts(
      PostgresNode postgres, String db, String prefix) {
    Map<String, String> config = config(postgres, db, prefix);
    config.put("tables", "products");
    config.put("row.filter.public.products", "in_stock = true");
    return config;
  }
}
