package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rows written to PostgreSQL arrive on a Kafka topic through Debezium, created over REST. */
@ExtendWith(DevStackExtension.class)
class DebeziumCaptureIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void snapshotAndStreamedRowsArriveAsChangeEvents(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String database = postgres.createDatabase("smoke");
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
      sql.execute("INSERT INTO items VALUES (1, 'snapshot row')");
    }

    connect
        .rest()
        .createConnector(
            "smoke-source",
            Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("database.hostname", postgres.host()),
                Map.entry("database.port", String.valueOf(postgres.port())),
                Map.entry("database.user", postgres.user()),
                Map.entry("database.password", postgres.password()),
                Map.entry("database.dbname", database),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", "smoke_slot"),
                Map.entry("publication.name", "smoke_publication"),
                Map.entry("publication.autocreate.mode", "filtered"),
                Map.entry("table.include.list", "public.items"),
                Map.entry("topic.prefix", "smoke"),
                Map.entry("topic.creation.default.replication.factor", "1"),
                Map.entry("topic.creation.default.partitions", "1"),
                Map.entry("key.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("key.converter.schemas.enable", "false"),
                Map.entry("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("value.converter.schemas.enable", "false")));
    connect.rest().awaitRunning("smoke-source", 1, Duration.ofMinutes(2));

    // Streaming starts after the snapshot; these changes must arrive after the snapshot row.
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute("INSERT INTO items VALUES (2, 'streamed row')");
      sql.execute("UPDATE items SET name = 'updated row' WHERE id = 1");
      sql.execute("DELETE FROM items WHERE id = 2");
    }

    List<JsonNode> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        connect
            .embedded()
            .kafka()
            .consume(5, Duration.ofMinutes(2).toMillis(), "smoke.public.items")) {
      if (record.value() != null) {
        events.add(JSON.readTree(new String(record.value(), StandardCharsets.UTF_8)));
      }
    }

    assertThat(events)
        .extracting(event -> event.path("op").asText())
        .containsExactly("r", "c", "u", "d");
    assertThat(events.get(0).path("after").path("name").asText()).isEqualTo("snapshot row");
    assertThat(events.get(1).path("after").path("name").asText()).isEqualTo("streamed row");
    assertThat(events.get(2).path("after").path("name").asText()).isEqualTo("updated row");
    assertThat(events.get(3).path("before").path("id").asInt()).isEqualTo(2);
  }
}
