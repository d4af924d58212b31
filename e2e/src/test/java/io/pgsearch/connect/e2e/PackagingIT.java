package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.ConnectWorkerProcess;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.ElasticsearchOptions;
import io.pgsearch.connect.devstack.KafkaBroker;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.PostgresOptions;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.SearchNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archives exactly as built, unpacked on the plugin.path of a Connect worker in its own JVM
 * (real class-loader isolation, as after confluent-hub install), connectors created by POSTing the
 * connect-configs files, rows changed in PostgreSQL, documents asserted in Elasticsearch.
 */
@ExtendWith(DevStackExtension.class)
class PackagingIT {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();
  static final Path ROOT = Path.of(System.getProperty("pgsearch.project.root", ".."));
  static final Duration WAIT = Duration.ofMinutes(3);

  /** The shipped configs that run the sample shop: the main pair and the in-stock row filter. */
  static final List<String> SHOP_CONFIGS =
      List.of(
          "pg-source.json",
          "es-sink.json",
          "examples/pg-source-row-filter.json",
          "examples/es-sink-in-stock.json");

  /** The connectors {@link #SHOP_CONFIGS} create. */
  static final List<String> SHOP_CONNECTORS =
      List.of("pg-source", "es-sink", "pg-source-in-stock", "es-sink-in-stock");

  @Test
  void pipelineOnElasticsearch8AndPostgres17(PostgresNode postgres, SearchNode elasticsearch)
      throws Exception {
    runPipeline(postgres, elasticsearch, "es8");
  }

  @Test
  void pipelineOnElasticsearch9AndPostgres16(
      @PostgresOptions(major = 16) PostgresNode postgres,
      @ElasticsearchOptions(major = 9) SearchNode elasticsearch)
      throws Exception {
    runPipeline(postgres, elasticsearch, "es9");
  }

  /**
   * On a PostgreSQL of its own: the shop's connectors name their replication slots, and the shared
   * PostgreSQL 17 keeps the slots of the Elasticsearch 8 run.
   */
  @Test
  void pipelineOnOpenSearch2AndPostgres17(SearchNodes nodes) throws Exception {
    try (PostgresNode postgres = PostgresNode.start(17, DevStackExtension.workDir())) {
      runPipeline(postgres, nodes.get(SearchDistribution.OPENSEARCH_2), "os2");
    }
  }

  private void runPipeline(PostgresNode postgres, SearchNode elasticsearch, String label)
      throws Exception {
    Path work = DevStackExtension.workDir().resolve("packaging-" + label);
    Path plugins = Archives.unpackBoth(work);
    String classpath = Archives.workerClasspath();

    String database = postgres.createDatabase("shop");
    String description = ShopWorkload.randomText(new SecureRandom(), 120_000);
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute(Files.readString(ROOT.resolve("samples/shop.sql")));
      // A NULL in a column with a DEFAULT must be indexed as null, not as the default.
      sql.execute("ALTER TABLE customers ADD COLUMN nickname text DEFAULT 'none'");
      sql.execute("UPDATE customers SET nickname = NULL WHERE id = 2");
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE products SET description = ? WHERE id = 1")) {
        update.setString(1, description);
        update.executeUpdate();
      }
    }
    Map<String, String> values = ConnectConfigs.placeholders(postgres, database, elasticsearch);

    try (KafkaBroker kafka = KafkaBroker.start();
        ConnectWorkerProcess worker =
            ConnectWorkerProcess.start(
                work, kafka.bootstrapServers(), classpath, List.of(plugins), Map.of())) {
      // Both connectors and the transforms are found on plugin.path alone, with the build's
      // version.
      String found = worker.rest().get("/connector-plugins?connectorsOnly=false").body().toString();
      for (String plugin :
          List.of(
              "io.pgsearch.connect.source.PostgresSourceConnector",
              "io.pgsearch.connect.sink.ElasticsearchSinkConnector",
              "io.pgsearch.connect.transforms.ChangeEventToDocument")) {
        assertThat(found).contains("\"class\":\"" + plugin + "\"");
      }
      assertThat(found).doesNotContain("\"version\":\"unknown\"");
      for (String file : SHOP_CONFIGS) {
        var created =
            worker
                .rest()
                .post(
                    "/connectors",
                    ConnectConfigs.fill(ROOT.resolve("connect-configs").resolve(file), values));
        assertThat(created.status()).as(file + ": " + created.body()).isEqualTo(201);
      }
      for (String name : SHOP_CONNECTORS) {
        worker.rest().awaitRunning(name, 1, WAIT);
      }

      Search es = new Search(elasticsearch);
      // The snapshot: every row of every table, with values Elasticsearch understands.
      es.awaitCount("customers", 1000);
      es.awaitCount("products", 2000);
      es.awaitCount("orders", 1500);
      es.awaitCount("order_items", 4500);
      es.awaitCount("instock-products", 2000 - 2000 / 7);
      JsonNode product = es.source("products", "1");
      assertThat(product.path("description").asText()).isEqualTo(description);
      assertThat(product.path("price").isNumber()).isTrue();
      assertThat(product.path("tags").isArray()).isTrue();
      assertThat(product.path("attributes").path("weight_g").isNumber()).isTrue();
      assertThat(product.path("updated_at").asText()).matches("2024-06-01T00:11:00(\\.0+)?Z");
      assertThat(es.source("customers", "2").path("nickname").isNull())
          .as("a NULL in a column with a DEFAULT, snapshotted")
          .isTrue();
      assertThat(es.source("customers", "3").path("nickname").asText()).isEqualTo("none");
      JsonNode line = es.source("order_items", "1|1");
      assertThat(line.path("order_id").asLong()).isEqualTo(1);
      assertThat(line.path("line_no").asInt()).isEqualTo(1);

      try (Connection connection = postgres.connect(database);
          Statement sql = connection.createStatement()) {
        // TOAST: an update of another column must keep the large description.
        sql.execute("UPDATE products SET price = 1234567890.12 WHERE id = 1");
        sql.execute(
            "INSERT INTO products (id, sku, name, price, tags, attributes) VALUES"
                + " (5001, 'SKU-5001', 'Yellow umbrella', 19.90, ARRAY['rain'], '{\"nested\": {\"a\": [1.25, 2.50]}}')");
        sql.execute("DELETE FROM order_items WHERE order_id = 1 AND line_no = 1");
        // Crossing the row filter both ways: 7 is out of stock and comes in, 1 goes out.
        sql.execute("UPDATE products SET in_stock = true WHERE id = 7");
        sql.execute("UPDATE products SET in_stock = false WHERE id = 1");
        sql.execute("UPDATE customers SET nickname = NULL WHERE id = 3");
      }

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(es.source("products", "1").path("in_stock").asBoolean()).isFalse());
      JsonNode updated = es.source("products", "1");
      assertThat(updated.path("price").toString()).isEqualTo("1234567890.12");
      assertThat(updated.path("description").asText())
          .as("the TOASTed description")
          .isEqualTo(description);
      await().atMost(WAIT).until(() -> es.source("products", "5001") != null);
      JsonNode inserted = es.source("products", "5001");
      assertThat(inserted.path("price").toString()).isEqualTo("19.90");
      assertThat(inserted.path("attributes").toString())
          .isEqualTo("{\"nested\":{\"a\":[1.25,2.50]}}");
      es.awaitMissing("order_items", "1|1");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(es.source("customers", "3").path("nickname").isNull())
                      .as("a NULL in a column with a DEFAULT, streamed")
                      .isTrue());
      es.awaitMissing("instock-products", "1");
      await().atMost(WAIT).until(() -> es.source("instock-products", "7") != null);
      assertThat(es.source("instock-products", "5001")).isNotNull();

      truncate(postgres, database, es);
      changeRowFilter(worker.rest(), es);
      assertThat(worker.rest().get("/connectors/es-sink/status").body().toString())
          .doesNotContain("FAILED");
    }
  }

  /**
   * TRUNCATE empties the table's index, on two partitions and two sink tasks: a row inserted before
   * it in its transaction goes, rows inserted after it in the same transaction and later stay, and
   * the index keeps its mappings.
   */
  private static void truncate(PostgresNode postgres, String database, Search es) throws Exception {
    String mappings = es.mappings("order_items");
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      connection.setAutoCommit(false);
      sql.execute(
          "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)"
              + " VALUES (2, 99, 2, 1, 1.00)");
      sql.execute("TRUNCATE order_items");
      sql.execute(
          "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)"
              + " VALUES (3, 1, 3, 42, 4.20)");
      connection.commit();
      sql.execute(
          "INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)"
              + " VALUES (4, 77, 4, 7, 7.70)");
      connection.commit();
    }
    es.awaitCount("order_items", 2);
    assertThat(es.source("order_items", "3|1").path("quantity").asInt()).isEqualTo(42);
    assertThat(es.source("order_items", "3|1").path("unit_price").toString()).isEqualTo("4.20");
    assertThat(es.source("order_items", "4|77").path("quantity").asInt()).isEqualTo(7);
    assertThat(es.mappings("order_items")).isEqualTo(mappings);
  }

  /**
   * The in-stock filter changed in the config to even ids: in-stock odd products leave the index,
   * out-of-stock even ones enter it, without a re-sync.
   */
  private static void changeRowFilter(ConnectRest rest, Search es) {
    String path = "/connectors/pg-source-in-stock/config";
    Map<String, String> config =
        JSON.convertValue(rest.get(path).ok().body(), new TypeReference<Map<String, String>>() {});
    assertThat(config).containsEntry("row.filter.public.products", "in_stock = true");
    config.put("row.filter.public.products", "id % 2 = 0");
    rest.put(path, config).ok();

    es.awaitCount("instock-products", 1000);
    assertThat(es.source("instock-products", "3")).as("in stock, odd: left").isNull();
    assertThat(es.source("instock-products", "14").path("in_stock").asBoolean())
        .as("out of stock, even: entered")
        .isFalse();
    assertThat(es.source("instock-products", "2").path("name").asText()).isNotEmpty();
    rest.awaitRunning("pg-source-in-stock", 1, WAIT);
  }

  /** Elasticsearch as a user queries it. */
  record Search(SearchNode node) {
    long count(String index) {
      return node.refreshedCount(index);
    }

    void awaitCount(String index, long expected) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(count(index)).as(index).isEqualTo(expected));
    }

    JsonNode source(String index, String id) {
      SearchNode.Response response =
          node.request(
              "GET",
              "/" + index + "/_doc/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8),
              null);
      return response.status() == 200 ? json(response.body()).path("_source") : null;
    }

    /** The index's field mappings, as JSON text. */
    String mappings(String index) {
      return json(node.mappings(index)).path("properties").toString();
    }

    void awaitMissing(String index, String id) {
      await().atMost(WAIT).until(() -> source(index, id) == null);
    }

    static JsonNode json(String text) {
      try {
        return JSON.readTree(text);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
