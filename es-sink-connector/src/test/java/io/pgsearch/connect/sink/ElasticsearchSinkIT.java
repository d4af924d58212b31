package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.sink.document.DocumentIds;
import io.pgsearch.connect.sink.index.IndexGenerations;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink through a real Connect cluster into a real Elasticsearch 8. */
@ExtendWith(DevStackExtension.class)
class ElasticsearchSinkIT {
  static final Schema KEY =
      SchemaBuilder.struct()
          .name("shop.Key")
          .field("tenant", Schema.STRING_SCHEMA)
          .field("id", Schema.INT32_SCHEMA)
          .build();
  static final Schema VALUE =
      SchemaBuilder.struct()
          .name("shop.Value")
          .field("tenant", Schema.STRING_SCHEMA)
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("price", Decimal.builder(2).build())
          .field("updated", Timestamp.SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field("active", Schema.BOOLEAN_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  static final String[] TENANTS = {"acme", "a|b", "c\\d", "ünï-商店", "x|", ""};

  private final ConnectCluster connect;
  private final SearchNode elasticsearch;
  private SinkHarness harness;

  ElasticsearchSinkIT(ConnectCluster connect, SearchNode elasticsearch) {
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
  void hundredThousandStructKeyedRecordsWithUpdatesAndTombstonesEndExactly() {
    String topic = "exact-" + System.nanoTime();
    harness.createTopic(topic, 3);
    Random random = new Random(42);
    Map<Struct, Struct> expected = new LinkedHashMap<>();
    List<Struct> keys = new ArrayList<>();
    long version = 1_000;
    for (int i = 0; i < 100_000; i++) {
      boolean insert = keys.isEmpty() || i < 20_000 || random.nextInt(10) < 6;
      Struct key;
      if (insert) {
        key =
            new Struct(KEY)
                .put("tenant", TENANTS[random.nextInt(TENANTS.length)])
                .put("id", keys.size());
        keys.add(key);
      } else {
        key = keys.get(random.nextInt(keys.size()));
      }
      boolean tombstone = !insert && random.nextInt(4) == 0;
      Struct value = tombstone ? null : value(key, i, random);
      version += 1 + random.nextInt(100);
      harness.send(topic, KEY, key, VALUE, value, version);
      if (tombstone) {
        expected.remove(key);
      } else {
        expected.put(key, value);
      }
    }
    harness.flush();

    Map<String, String> config = harness.sinkConfig(topic);
    config.put("tasks.max", "2");
    harness.startSink("exact", config);
    harness.awaitCount(topic, expected.size(), Duration.ofMinutes(5));

    JsonNode mappings = SinkHarness.json(elasticsearch.mappings(topic)).path("properties");
    assertThat(mappings.path("price").path("type").asText()).isEqualTo("double");
    assertThat(mappings.path("updated").path("type").asText()).isEqualTo("date");
    assertThat(mappings.path("name").path("fields").path("keyword").path("type").asText())
        .isEqualTo("keyword");

    List<Struct> present = new ArrayList<>(expected.keySet());
    List<String> sample = new ArrayList<>();
    Map<String, Struct> sampleValues = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      Struct key = present.get(random.nextInt(present.size()));
      String id = DocumentIds.fromKey(key);
      sample.add(id);
      sampleValues.put(id, expected.get(key));
    }
    Map<String, JsonNode> sources = harness.sources(topic, sample);
    assertThat(sources).hasSize(sampleValues.size());
    sampleValues.forEach((id, value) -> assertDocument(sources.get(id), value));

    List<String> deleted =
        keys.stream()
            .filter(k -> !expected.containsKey(k))
            .limit(200)
            .map(DocumentIds::fromKey)
            .toList();
    assertThat(deleted).isNotEmpty();
    assertThat(harness.sources(topic, deleted)).as("deleted documents").isEmpty();
    harness.deleteSink("exact");
  }

  private static Struct value(Struct key, int i, Random random) {
    return new Struct(VALUE)
        .put("tenant", key.getString("tenant"))
        .put("id", key.getInt32("id"))
        .put("name", "product " + i + " \"quoted\" ✓")
        .put("price", new BigDecimal(random.nextInt(10_000_000)).movePointLeft(2))
        .put("updated", new Date(1_700_000_000_000L + i * 1_001L))
        .put("tags", List.of("t" + (i % 7), "all"))
        .put("active", i % 2 == 0)
        .put("note", i % 3 == 0 ? null : "n" + i);
  }

  private static void assertDocument(JsonNode source, Struct value) {
    assertThat(source.path("tenant").asText()).isEqualTo(value.getString("tenant"));
    assertThat(source.path("id").asInt()).isEqualTo(value.getInt32("id"));
    assertThat(source.path("name").asText()).isEqualTo(value.getString("name"));
    assertThat(source.path("price").decimalValue())
        .isEqualByComparingTo((BigDecimal) value.get("price"));
    assertThat(source.path("price").toString())
        .isEqualTo(((BigDecimal) value.get("price")).toPlainString());
    // The transforms' rendering of a timestamp: UTC without an offset, as PostgreSQL shows a
    // timestamp; Elasticsearch reads it as UTC.
    assertThat(source.path("updated").asText())
        .isEqualTo(
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                LocalDateTime.ofInstant(
                    ((Date) value.get("updated")).toInstant(), ZoneOffset.UTC)));
    assertThat(source.path("tags").toString()).isEqualTo(SinkHarness.write(value.getArray("tags")));
    assertThat(source.path("active").asBoolean()).isEqualTo(value.getBoolean("active"));
    if (value.getString("note") == null) {
      assertThat(source.path("note").isNull()).isTrue();
    } else {
      assertThat(source.path("note").asText()).isEqualTo(value.getString("note"));
    }
  }

  @Test
  void replayedOlderRecordsNeverOverwriteNewerDocuments() {
    String topic = "replay-" + System.nanoTime();
    harness.createTopic(topic, 1);
    Schema key = Schema.INT32_SCHEMA;
    Schema value = SchemaBuilder.struct().field("state", Schema.STRING_SCHEMA).build();
    harness.send(topic, key, 1, value, new Struct(value).put("state", "old"), 100L);
    harness.send(topic, key, 1, value, new Struct(value).put("state", "new"), 200L);
    harness.send(topic, key, 2, value, new Struct(value).put("state", "alive"), 300L);
    harness.send(topic, key, 2, null, null, 400L);
    harness.send(topic, key, 3, value, new Struct(value).put("state", "kept"), 500L);
    harness.flush();
    harness.startSink("replay", harness.sinkConfig(topic));
    harness.awaitCount(topic, 2, Duration.ofMinutes(1));

    // Replay: the connector is stopped, its offsets reset to the start, and it runs again.
    assertThat(connect.rest().put("/connectors/replay/stop", null).status() / 100).isEqualTo(2);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> connect.rest().delete("/connectors/replay/offsets").status() == 200);
    // A late, stale write of document 3 arrives too.
    harness.send(topic, key, 3, value, new Struct(value).put("state", "stale"), 450L);
    harness.flush();
    assertThat(connect.rest().put("/connectors/replay/resume", null).status() / 100).isEqualTo(2);
    connect.rest().awaitRunning("replay", 1, Duration.ofMinutes(1));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(connect.embedded().kafka().consumeAll(10_000, topic).count())
                    .isEqualTo(6));
    // Every replayed record has been processed once the committed offset reaches the end.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(connect.embedded().connectorOffsets("replay").offsets())
                    .anySatisfy(
                        o ->
                            assertThat(((Number) o.offset().get("kafka_offset")).longValue())
                                .isEqualTo(6L)));
    assertThat(harness.count(topic)).isEqualTo(2);
    assertThat(harness.source(topic, "1").path("state").asText()).isEqualTo("new");
    assertThat(harness.source(topic, "2")).as("deleted document 2").isNull();
    assertThat(harness.source(topic, "3").path("state").asText()).isEqualTo("kept");
    harness.deleteSink("replay");
  }

  @Test
  void aTopicRenamingTransformStillCommitsTheOriginalOffsets() {
    String topic = "routed-" + System.nanoTime();
    harness.createTopic(topic, 1);
    Schema value = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
    for (int n = 0; n < 100; n++) {
      harness.send(topic, Schema.INT32_SCHEMA, n, value, new Struct(value).put("n", n), null);
    }
    harness.flush();
    Map<String, String> config = harness.sinkConfig(topic);
    config.put("transforms", "route");
    config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    config.put("transforms.route.regex", "routed-(.*)");
    config.put("transforms.route.replacement", "renamed-$1");
    harness.startSink("routed", config);

    harness.awaitCount(topic.replace("routed-", "renamed-"), 100, Duration.ofMinutes(1));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(connect.embedded().connectorOffsets("routed").offsets())
                    .singleElement()
                    .satisfies(
                        o -> {
                          assertThat(o.partition().get("kafka_topic")).isEqualTo(topic);
                          assertThat(((Number) o.offset().get("kafka_offset")).longValue())
                              .isEqualTo(100L);
                        }));
    harness.deleteSink("routed");
  }

  @Test
  void aConfiguredDefinitionCreatesTheIndex() {
    String topic = "defined-" + System.nanoTime();
    harness.createTopic(topic, 1);
    Schema value = SchemaBuilder.struct().field("code", Schema.STRING_SCHEMA).build();
    harness.send(
        topic, Schema.STRING_SCHEMA, "a", value, new Struct(value).put("code", "A-1"), null);
    harness.flush();
    Map<String, String> config = harness.sinkConfig(topic);
    config.put(
        "index.definition",
        "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"code\":{\"type\":\"keyword\"}}}}");
    harness.startSink("defined", config);

    harness.awaitCount(topic, 1, Duration.ofMinutes(1));
    // Answered under the concrete index: the first generation behind the alias.
    JsonNode index =
        SinkHarness.json(elasticsearch.request("GET", "/" + topic, null).body())
            .path(IndexGenerations.name(topic, IndexGenerations.FIRST));
    assertThat(index.path("aliases").path(topic).path("is_write_index").asBoolean()).isTrue();
    assertThat(index.path("settings").path("index").path("number_of_shards").asText())
        .isEqualTo("2");
    assertThat(index.path("mappings").path("properties").path("code").path("type").asText())
        .isEqualTo("keyword");
    harness.deleteSink("defined");
  }
}
