package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.ElasticsearchOptions;
import io.pgsearch.connect.devstack.SearchNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example configs that {@link PackagingIT} does not run ({@code pg-source-table-list.json},
 * {@code es-sink-include-exclude-rename.json}, {@code es-sink-secured.json}), each validated by the
 * worker with no error and then run beside the shipped pair on the sample shop, from the archives:
 * each does what connect-configs/README.md says it does.
 */
@ExtendWith(DevStackExtension.class)
class ExampleConfigsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = PackagingIT.ROOT.resolve("connect-configs/examples");

  @Test
  void everyExampleConfigValidatesAndDoesWhatItSays(
      SearchNode elasticsearch, @ElasticsearchOptions(secured = true) SearchNode secured)
      throws Exception {
    try (ShippedPair pair = ShippedPair.start("examples")) {
      String database = pair.postgres().createDatabase("shop");
      ShippedPair.sql(
          pair.postgres(),
          database,
          Files.readString(PackagingIT.ROOT.resolve("samples/shop.sql")));
      pair.createSource(database, elasticsearch);
      Map<String, String> plain =
          ConnectConfigs.placeholders(pair.postgres(), database, elasticsearch);
      Map<String, String> tls = new HashMap<>(plain);
      tls.put("ES_URL", secured.url());
      tls.put("ES_USER", secured.writerUser());
      tls.put("ES_PASSWORD", secured.writerPassword());
      tls.put("ES_CA_FILE", secured.caCertificateFile().toString());
      ConnectRest rest = pair.worker().rest();
      for (Map.Entry<String, Map<String, String>> example :
          Map.of(
                  "pg-source-table-list.json", plain,
                  "es-sink-include-exclude-rename.json", plain,
                  "es-sink-secured.json", tls)
              .entrySet()) {
        create(rest, example.getKey(), example.getValue());
      }

      tableListCapturesOnlyItsTables(pair);
      includeExcludeRenameIndexesTheSlimDocument(
          new PackagingIT.Search(elasticsearch), pair, database);
      securedIndexesEveryTableOverTlsWithAuth(new PackagingIT.Search(secured));
      for (String connector :
          List.of("pg-source-orders", "es-sink-products-slim", "es-sink-secured")) {
        rest.awaitRunning(connector, 1, PackagingIT.WAIT);
        assertThat(rest.get("/connectors/" + connector + "/status").body())
            .asString()
            .doesNotContain("FAILED");
      }
    }
  }

  /** Validates the filled example (no error on any key), then POSTs it. */
  private static void create(ConnectRest rest, String file, Map<String, String> values)
      throws Exception {
    String body = ConnectConfigs.fill(EXAMPLES.resolve(file), values);
    JsonNode example = JSON.readTree(body);
    Map<String, String> config =
        JSON.convertValue(example.get("config"), new TypeReference<Map<String, String>>() {});
    config.put("name", example.get("name").asText());
    assertThat(rest.validate(config.get("connector.class"), config).validationErrors())
        .as(file)
        .isEmpty();
    ConnectRest.Response created = rest.post("/connectors", body);
    assertThat(created.status()).as(file + ": " + created.body()).isEqualTo(201);
  }

  /** pg-source-table-list.json: orders and order_items, and no other table, under sales.*. */
  private static void tableListCapturesOnlyItsTables(ShippedPair pair) throws Exception {
    var kafka = pair.kafka().embedded();
    assertThat(kafka.consume(1500, PackagingIT.WAIT.toMillis(), "sales.public.orders").count())
        .isGreaterThanOrEqualTo(1500);
    assertThat(kafka.consume(4500, PackagingIT.WAIT.toMillis(), "sales.public.order_items").count())
        .isGreaterThanOrEqualTo(4500);
    try (Admin admin = kafka.createAdminClient()) {
      assertThat(admin.listTopics().names().get())
          // The connector's own tables (signals, its table list) have topics too.
          .filteredOn(t -> t.startsWith("sales.") && !t.startsWith("sales.public.pgsearch_"))
          .containsExactlyInAnyOrder("sales.public.orders", "sales.public.order_items");
    }
  }

  /** es-sink-include-exclude-rename.json: products-slim, without description, names renamed. */
  private static void includeExcludeRenameIndexesTheSlimDocument(
      PackagingIT.Search es, ShippedPair pair, String database) throws Exception {
    es.awaitCount("products-slim", 2000);
    JsonNode slim = es.source("products-slim", "1");
    assertThat(slim.has("description")).isFalse();
    assertThat(slim.has("name")).isFalse();
    assertThat(slim.has("price")).isFalse();
    try (Connection connection = pair.postgres().connect(database);
        Statement sql = connection.createStatement();
        ResultSet row = sql.executeQuery("SELECT name, price, sku FROM products WHERE id = 1")) {
      assertThat(row.next()).isTrue();
      assertThat(slim.path("title").asText()).isEqualTo(row.getString("name"));
      assertThat(slim.path("price_eur").decimalValue())
          .isEqualByComparingTo(row.getBigDecimal("price"));
      assertThat(slim.path("sku").asText()).isEqualTo(row.getString("sku"));
    }
  }

  /** es-sink-secured.json: every shop table into secured-<table>, over TLS with basic auth. */
  private static void securedIndexesEveryTableOverTlsWithAuth(PackagingIT.Search es) {
    es.awaitCount("secured-customers", 1000);
    es.awaitCount("secured-products", 2000);
    es.awaitCount("secured-orders", 1500);
    es.awaitCount("secured-order_items", 4500);
    assertThat(es.source("secured-customers", "1").path("email").asText())
        .isEqualTo("customer1@example.com");
  }
}
