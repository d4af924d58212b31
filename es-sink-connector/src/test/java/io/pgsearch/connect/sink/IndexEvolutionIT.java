package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.sink.index.IndexOwner;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An index follows its table: a column added to a live table is mapped as it would have been at
 * index creation, before its first value is indexed; two tables never mix in one index by accident.
 */
@ExtendWith(DevStackExtension.class)
class IndexEvolutionIT {
  private static final Schema V1 =
      SchemaBuilder.struct()
          .name("shop.public.customers.Value")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .build();
  private static final Schema POINT =
      SchemaBuilder.struct()
          .name("io.pgsearch.GeoPoint")
          .optional()
          .field("lat", Schema.FLOAT64_SCHEMA)
          .field("lon", Schema.FLOAT64_SCHEMA)
          .build();

  /** V1 after ALTER TABLE ... ADD COLUMN home point, seen_at timestamptz, balance numeric(10,2). */
  private static final Schema V2 =
      SchemaBuilder.struct()
          .name("shop.public.customers.Value")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("home", POINT)
          .field("seen_at", Timestamp.builder().optional().build())
          .field("balance", Decimal.builder(2).optional().build())
          .build();

  private final ConnectCluster connect;
  private final SearchNode elasticsearch;
  private SinkHarness harness;

  IndexEvolutionIT(ConnectCluster connect, SearchNode elasticsearch) {
    this.connect = connect;
    this.elasticsearch = elasticsearch;
  }

  @BeforeEach
  void harness() {
    harness = new SinkHarness(connect, elasticsearch);
  }

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void aColumnAddedToALiveTableIsMappedAsAtCreationBeforeItsFirstValue() {
    String topic = "evolve-" + System.nanoTime();
    harness.createTopic(topic, 1);
    Map<String, String> customers = table("public", "customers");
    harness.send(
        topic,
        Schema.INT64_SCHEMA,
        1L,
        V1,
        new Struct(V1).put("id", 1L).put("name", "a"),
        1L,
        customers);
    harness.flush();
    harness.startSink("evolve", harness.sinkConfig(topic));
    harness.awaitCount(topic, 1, Duration.ofMinutes(1));
    assertThat(mapping(topic).path("home").isMissingNode()).isTrue();

    Struct row =
        new Struct(V2)
            .put("id", 2L)
            .put("name", "b")
            .put("home", new Struct(POINT).put("lat", 52.52).put("lon", 13.405))
            .put("seen_at", new java.util.Date(1_700_000_000_000L))
            .put("balance", new java.math.BigDecimal("12.30"));
    harness.send(topic, Schema.INT64_SCHEMA, 2L, V2, row, 2L, customers);
    harness.flush();
    harness.awaitCount(topic, 2, Duration.ofMinutes(1));

    JsonNode properties = mapping(topic);
    assertThat(properties.path("home").path("type").asText()).isEqualTo("geo_point");
    assertThat(properties.path("seen_at").path("type").asText()).isEqualTo("date");
    // As at creation: a double with an exact keyword subfield (see MappingInference).
    assertThat(properties.path("balance").path("type").asText()).isEqualTo("double");
    assertThat(properties.path("balance").path("fields").path("exact").path("type").asText())
        .isEqualTo("keyword");
    // A geo query works on the new column.
    String hits =
        elasticsearch
            .request(
                "POST",
                "/" + topic + "/_search",
                "{\"query\":{\"geo_distance\":{\"distance\":\"1km\","
                    + "\"home\":{\"lat\":52.52,\"lon\":13.40}}}}")
            .body();
    assertThat(SinkHarness.json(hits).path("hits").path("total").path("value").asInt())
        .isEqualTo(1);
    harness.deleteSink("evolve");
  }

  @Test
  void twoTablesWhoseNamesGiveOneIndexFailTheTaskNamingBoth() {
    String first = "s1.shop.customers-" + System.nanoTime();
    String second = "s2.shop.customers-" + System.nanoTime();
    harness.createTopic(first, 1);
    harness.createTopic(second, 1);
    String index = "customers-" + System.nanoTime();
    harness.send(
        first,
        Schema.INT64_SCHEMA,
        1L,
        V1,
        new Struct(V1).put("id", 1L).put("name", "a"),
        1L,
        table("one", "customers"));
    harness.flush();
    Map<String, String> config = harness.sinkConfig(first + "," + second);
    config.put("index.name.template", index);
    harness.startSink("collide", config);
    harness.awaitCount(index, 1, Duration.ofMinutes(1));
    assertThat(
            SinkHarness.json(elasticsearch.mappings(index))
                .path("_meta")
                .path(IndexOwner.META_KEY)
                .asText())
        .isEqualTo("one.customers");

    harness.send(
        second,
        Schema.INT64_SCHEMA,
        1L,
        V1,
        new Struct(V1).put("id", 1L).put("name", "b"),
        2L,
        table("two", "customers"));
    harness.flush();
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> taskState("collide").path("state").asText().equals("FAILED"));
    assertThat(taskState("collide").path("trace").asText())
        .contains("two.customers", "one.customers", index, "${schema}");
    assertThat(harness.source(index, "1").path("name").asText())
        .as("the other table's row did not overwrite it")
        .isEqualTo("a");
    harness.deleteSink("collide");
  }

  private static Map<String, String> table(String schema, String table) {
    return Map.of("pgsearch.schema", schema, "pgsearch.table", table);
  }

  private JsonNode mapping(String index) {
    return SinkHarness.json(elasticsearch.mappings(index)).path("properties");
  }

  private JsonNode taskState(String connector) {
    return connect.rest().get("/connectors/" + connector + "/status").body().path("tasks").path(0);
  }
}
