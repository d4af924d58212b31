package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.convergence.ConvergenceChecker;
import io.pgsearch.connect.convergence.ConvergenceReport;
import io.pgsearch.connect.convergence.DocumentCheck;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sample orders document (connect-configs/examples/pg-source-documents.json) on the sample
 * shop, through the archives and the shipped sink: every order indexed with its customer and its
 * items with their product, and every change to any of those tables rebuilding exactly the orders
 * it concerns, as PostgreSQL then holds them; documents lost from the index come back with a
 * re-sync of the root table; and the convergence checker finds both document indexes equal to their
 * roots rebuilt from PostgreSQL after each step.
 */
@ExtendWith(DevStackExtension.class)
class DocumentsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The example source config with a document, under connect-configs. */
  static final String CONFIG = "examples/pg-source-documents.json";

  /** The example's document and its index. */
  static final String DOCUMENT = "order_documents";

  private static final String INDEX = DOCUMENT;

  /** A second document, the orders paid: roots leave and enter its filter. */
  private static final String PAID = "paid_orders";

  @Test
  void ordersFollowEveryChangeOfTheirRows(SearchNode elasticsearch) throws Exception {
    try (ShippedPair pair = ShippedPair.start("documents")) {
      String database = pair.postgres().createDatabase("shop");
      ShippedPair.sql(
          pair.postgres(),
          database,
          Files.readString(PackagingIT.ROOT.resolve("samples/shop.sql")));
      Map<String, String> source = createConnectors(pair, database, elasticsearch);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      es.awaitCount(INDEX, 1500);
      es.awaitCount(PAID, 375);
      Shop shop = new Shop(pair, database, es);
      shop.assertDocument(1);
      assertThat(es.mappings(INDEX))
          .as("items are nested, as the definition asks")
          .contains("\"items\":{\"type\":\"nested\"");
      shop.awaitConverged(source);

      // A product rename reaches every order that holds it (the second level).
      long product = shop.number("SELECT product_id FROM order_items WHERE order_id = 1 LIMIT 1");
      shop.sql("UPDATE products SET name = 'renamed' WHERE id = " + product);
      for (long order :
          shop.numbers("SELECT DISTINCT order_id FROM order_items WHERE product_id = " + product)) {
        shop.awaitDocument(order);
      }
      // A customer change reaches their orders (an object of the root).
      shop.sql("UPDATE customers SET full_name = 'Ada Lovelace' WHERE id = 2");
      for (long order : shop.numbers("SELECT id FROM orders WHERE customer_id = 2")) {
        shop.awaitDocument(order);
      }
      // An item changed (an array of the root), and the root itself.
      shop.sql(
          "UPDATE order_items SET quantity = quantity + 5 WHERE order_id = 7",
          "UPDATE orders SET placed_at = placed_at + interval '1 day' WHERE id = 8");
      shop.awaitDocument(7);
      // An item moved to another order (a foreign key and a primary key changed) leaves the
      // first and joins the second.
      shop.sql(
          "UPDATE order_items SET order_id = 2, line_no = 99 WHERE order_id = 1 AND line_no = 1");
      shop.awaitDocument(1);
      shop.awaitDocument(2);
      // An order deleted with its items: its document is deleted.
      shop.sql("DELETE FROM order_items WHERE order_id = 3", "DELETE FROM orders WHERE id = 3");
      es.awaitMissing(INDEX, "3");
      // A new order with an item.
      shop.sql(
          "INSERT INTO orders VALUES (5000, 1, 'new', 0, now())",
          "INSERT INTO order_items VALUES (5000, 1, 1, 2, 9.99)");
      shop.awaitDocument(5000);
      es.awaitCount(INDEX, 1500);
      // A root leaves the filter of the paid orders, another enters it.
      long leaving = shop.number("SELECT min(id) FROM orders WHERE status = 'paid'");
      long entering = shop.number("SELECT min(id) FROM orders WHERE status = 'shipped'");
      shop.sql(
          "UPDATE orders SET status = 'refunded' WHERE id = " + leaving,
          "UPDATE orders SET status = 'paid' WHERE id = " + entering);
      es.awaitMissing(PAID, String.valueOf(leaving));
      await()
          .atMost(PackagingIT.WAIT)
          .until(
              () -> {
                JsonNode document = es.source(PAID, String.valueOf(entering));
                return document != null && "paid".equals(document.path("status").asText());
              });
      // With cascading foreign keys: a root's primary key changed moves its items along, and a
      // root deleted takes its items with it.
      shop.sql(
          "ALTER TABLE order_items DROP CONSTRAINT order_items_order_id_fkey,"
              + " ADD FOREIGN KEY (order_id) REFERENCES orders (id)"
              + " ON UPDATE CASCADE ON DELETE CASCADE");
      shop.sql("UPDATE orders SET id = 7000 WHERE id = 10");
      es.awaitMissing(INDEX, "10");
      shop.awaitDocument(7000);
      shop.sql("DELETE FROM orders WHERE id = 11");
      es.awaitMissing(INDEX, "11");
      shop.awaitConverged(source);

      // Documents lost from the index come back with a re-sync of the root table, while
      // streaming goes on.
      elasticsearch.request("DELETE", "/" + INDEX + "/_doc/1", null);
      elasticsearch.request("DELETE", "/" + INDEX + "/_doc/2", null);
      assertThat(es.source(INDEX, "1")).isNull();
      shop.sql("SELECT public.pgsearch_pg_source_resync('public.orders')");
      shop.awaitDocument(1);
      shop.awaitDocument(2);
      shop.awaitConverged(source);

      // A related table truncated: every document is rebuilt without its items.
      shop.sql("TRUNCATE order_items");
      shop.awaitDocument(1);
      shop.awaitDocument(5000);
      shop.awaitConverged(source);
      // The root table truncated: the index is emptied.
      shop.sql("TRUNCATE orders CASCADE");
      es.awaitCount(INDEX, 0);
      es.awaitCount(PAID, 0);
      shop.awaitConverged(source);
    }
  }

  /**
   * The example source config (the shipped pg-source.json with the example's document) plus the
   * paid orders, and the shipped sink; returns the source's settings.
   */
  private static Map<String, String> createConnectors(
      ShippedPair pair, String database, SearchNode elasticsearch) throws Exception {
    Map<String, String> values =
        ConnectConfigs.placeholders(pair.postgres(), database, elasticsearch);
    ObjectNode source =
        (ObjectNode)
            JSON.readTree(
                ConnectConfigs.fill(
                    PackagingIT.ROOT.resolve("connect-configs").resolve(CONFIG), values));
    ObjectNode config = (ObjectNode) source.get("config");
    String orders = config.get("document." + DOCUMENT).asText();
    config.put(
        "document." + PAID,
        orders.replaceFirst(
            "\"table\": \"public.orders\",",
            "\"table\": \"public.orders\", \"filter\": \"status = 'paid'\","));
    String json = JSON.writeValueAsString(source);
    pair.worker().rest().post("/connectors", json).ok();
    pair.worker()
        .rest()
        .post(
            "/connectors",
            ConnectConfigs.fill(
                PackagingIT.ROOT.resolve("connect-configs").resolve("es-sink.json"), values))
        .ok();
    return settings(json);
  }

  /** The settings of a connector's config JSON ({@code {"name": ..., "config": {...}}}). */
  static Map<String, String> settings(String configJson) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    JSON.readTree(configJson)
        .get("config")
        .fields()
        .forEachRemaining(field -> settings.put(field.getKey(), field.getValue().asText()));
    return settings;
  }

  /** The shop's database, and its orders as documents should show them. */
  private record Shop(ShippedPair pair, String database, PackagingIT.Search es) {
    void sql(String... statements) throws Exception {
      ShippedPair.sql(pair.postgres(), database, statements);
    }

    long number(String query) throws Exception {
      return numbers(query).get(0);
    }

    List<Long> numbers(String query) throws Exception {
      List<Long> values = new ArrayList<>();
      try (Connection connection = pair.postgres().connect(database);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(query)) {
        while (rows.next()) {
          values.add(rows.getLong(1));
        }
      }
      return values;
    }

    /** The order as the document should hold it, from PostgreSQL. */
    String expected(long order) throws Exception {
      try (Connection connection = pair.postgres().connect(database);
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT o.status, c.full_name, coalesce(string_agg(i.line_no || ':' ||"
                      + " i.quantity || ':' || p.name, ',' ORDER BY i.line_no), '')"
                      + " FROM orders o JOIN customers c ON c.id = o.customer_id"
                      + " LEFT JOIN order_items i ON i.order_id = o.id"
                      + " LEFT JOIN products p ON p.id = i.product_id"
                      + " WHERE o.id = "
                      + order
                      + " GROUP BY o.status, c.full_name")) {
        assertThat(rows.next()).as("order " + order).isTrue();
        return rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3);
      }
    }

    /** The same summary of the indexed document. */
    String actual(long order) {
      JsonNode document = es.source(INDEX, String.valueOf(order));
      if (document == null) {
        return null;
      }
      List<String> items = new ArrayList<>();
      for (JsonNode item : document.path("items")) {
        items.add(
            item.path("line_no").asText()
                + ":"
                + item.path("quantity").asText()
                + ":"
                + item.path("product").path("name").asText());
      }
      return document.path("status").asText()
          + "|"
          + document.path("customer").path("full_name").asText()
          + "|"
          + String.join(",", items);
    }

    /**
     * The convergence checker finds both document indexes equal, value by value, to their roots
     * rebuilt from PostgreSQL, once the pipeline has caught up.
     */
    void awaitConverged(Map<String, String> source) throws Exception {
      List<ConvergenceReport> reports = new ArrayList<>();
      try (ConvergenceChecker checker =
          new ConvergenceChecker(
              pair.postgres().connect(database),
              ConvergenceChecker.elasticsearchClient(es.node().url(), null, null, null),
              true)) {
        await()
            .atMost(PackagingIT.WAIT)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  reports.clear();
                  reports.add(checker.check(DocumentCheck.of(DOCUMENT, source)));
                  reports.add(checker.check(DocumentCheck.of(PAID, source)));
                  return reports.stream().allMatch(ConvergenceReport::converged);
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("not converged: " + reports, e);
      }
    }

    void assertDocument(long order) throws Exception {
      assertThat(actual(order)).isEqualTo(expected(order));
    }

    void awaitDocument(long order) throws Exception {
      String expected = expected(order);
      await().atMost(PackagingIT.WAIT).until(() -> expected.equals(actual(order)));
    }
  }
}
