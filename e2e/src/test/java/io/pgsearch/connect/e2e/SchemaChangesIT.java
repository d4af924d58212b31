package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.KafkaBroker;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A live table's columns dropped, renamed and changed in type, with the shipped connectors running:
 * each has the outcome in the index that docs/es-sink-connector.md ("Schema changes") promises, no
 * connector is restarted, and no task fails.
 */
@ExtendWith(DevStackExtension.class)
class SchemaChangesIT {
  private static final String TOPIC = "shop.public.parts";

  /** The servers are this test's own (see {@link ShippedPair}). */
  @Test
  void droppedRenamedAndRetypedColumnsHaveTheirDocumentedOutcome(SearchNode elasticsearch)
      throws Exception {
    try (ShippedPair pair = ShippedPair.start("schema-changes")) {
      Parts parts =
          new Parts(
              pair.postgres(),
              pair.postgres().createDatabase("shop"),
              new PackagingIT.Search(elasticsearch),
              elasticsearch);
      parts.sql(
          "CREATE TABLE parts (id int PRIMARY KEY, name text NOT NULL, note text,"
              + " price numeric(10, 2), qty int)",
          "INSERT INTO parts SELECT g, 'item ' || g, 'note ' || g, g, g"
              + " FROM generate_series(1, 3) g");
      pair.createConnectors(parts.database(), elasticsearch);
      parts.es().awaitCount("parts", 3);
      JsonNode created = parts.properties();

      dropColumn(parts);
      renameColumn(parts, created.path("price"));
      changeColumnType(parts, pair.kafka());
      addColumnAfterATypeChange(parts);

      assertThat(Files.readString(pair.worker().log()))
          .as("the refused type change is logged with Elasticsearch's reason")
          .contains("Index parts keeps the mappings of its existing fields")
          .contains("mapper [qty] cannot be changed from type [integer]");
      for (String connector : List.of("pg-source", "es-sink")) {
        pair.worker().rest().awaitRunning(connector, 1, PackagingIT.WAIT);
        assertThat(pair.worker().rest().get("/connectors/" + connector + "/status").body())
            .asString()
            .doesNotContain("FAILED");
      }
    }
  }

  /**
   * A dropped column: documents written after the drop lack it, documents of rows not changed since
   * keep it, and the mapping keeps the field.
   */
  private static void dropColumn(Parts parts) throws Exception {
    parts.sql(
        "ALTER TABLE parts DROP COLUMN note",
        "UPDATE parts SET name = 'after the drop' WHERE id = 1");
    parts.awaitName("1", "after the drop");
    assertThat(parts.source("1").has("note")).as("written after the drop").isFalse();
    assertThat(parts.source("2").path("note").asText()).as("not changed since").isEqualTo("note 2");
    assertThat(parts.properties().has("note")).isTrue();
  }

  /**
   * A renamed column is a drop and an add: the new name is mapped as the old one was at creation.
   */
  private static void renameColumn(Parts parts, JsonNode priceAtCreation) throws Exception {
    parts.sql(
        "ALTER TABLE parts RENAME COLUMN price TO unit_price",
        "UPDATE parts SET name = 'after the rename' WHERE id = 1");
    parts.awaitName("1", "after the rename");
    JsonNode document = parts.source("1");
    assertThat(document.has("price")).isFalse();
    assertThat(document.path("unit_price").toString()).isEqualTo("1.00");
    assertThat(parts.source("2").path("price").toString()).isEqualTo("2.00");
    assertThat(priceAtCreation.path("type").asText()).isEqualTo("double");
    assertThat(parts.properties().path("unit_price")).isEqualTo(priceAtCreation);
  }

  /**
   * A changed type: the index keeps the field's mapping; a value that still fits is indexed, one
   * that does not goes to the dead letter queue with Elasticsearch's reason, and the rest of the
   * table goes on.
   */
  private static void changeColumnType(Parts parts, KafkaBroker kafka) throws Exception {
    parts.sql(
        "ALTER TABLE parts ALTER COLUMN qty TYPE text",
        "UPDATE parts SET qty = '7', name = 'fits' WHERE id = 1",
        "UPDATE parts SET qty = 'many', name = 'does not fit' WHERE id = 2",
        "UPDATE parts SET name = 'after the type change' WHERE id = 3");
    parts.awaitName("3", "after the type change");
    assertThat(parts.source("1").path("name").asText()).isEqualTo("fits");
    assertThat(parts.source("1").path("qty").asText()).isEqualTo("7");
    assertThat(parts.source("2").path("name").asText())
        .as("the malformed update left the document as it was")
        .isEqualTo("item 2");
    assertThat(parts.properties().path("qty").path("type").asText()).isEqualTo("integer");

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    kafka.embedded().consume(1, Duration.ofMinutes(1).toMillis(), "es-sink-dlq").forEach(dead::add);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> record = dead.get(0);
    assertThat(header(record, "__connect.errors.topic")).isEqualTo(TOPIC);
    assertThat(header(record, PgsearchHeaders.ERROR_TYPE)).endsWith("parsing_exception");
    assertThat(header(record, PgsearchHeaders.ERROR_REASON)).contains("[qty]");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"does not fit\"");
  }

  /**
   * A column added after a type change is still mapped as at creation, although Elasticsearch
   * refuses the changed field's mapping in the same schema.
   */
  private static void addColumnAfterATypeChange(Parts parts) throws Exception {
    parts.sql(
        "ALTER TABLE parts ADD COLUMN location point",
        "UPDATE parts SET location = point(13.405, 52.52), name = 'located' WHERE id = 3");
    parts.awaitName("3", "located");
    assertThat(parts.properties().path("location").path("type").asText()).isEqualTo("geo_point");
    parts.elasticsearch().request("POST", "/parts/_refresh", null);
    String hits =
        parts
            .elasticsearch()
            .request(
                "POST",
                "/parts/_search",
                "{\"query\":{\"geo_distance\":{\"distance\":\"1km\","
                    + "\"location\":{\"lat\":52.52,\"lon\":13.40}}}}")
            .body();
    assertThat(PackagingIT.Search.json(hits).path("hits").path("total").path("value").asInt())
        .isEqualTo(1);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as(name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The table {@code parts} and its index. */
  private record Parts(
      PostgresNode postgres, String database, PackagingIT.Search es, SearchNode elasticsearch) {
    void sql(String... statements) throws Exception {
      ShippedPair.sql(postgres, database, statements);
    }

    JsonNode source(String id) {
      return es.source("parts", id);
    }

    void awaitName(String id, String name) {
      await().atMost(PackagingIT.WAIT).until(() -> name.equals(source(id).path("name").asText()));
    }

    JsonNode properties() {
      return PackagingIT.Search.json(elasticsearch.mappings("parts")).path("properties");
    }
  }
}
