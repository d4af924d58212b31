package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import io.pgsearch.connect.transforms.TypeMatrix;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every PostgreSQL type of the transforms' {@link TypeMatrix}, from a table through the shipped
 * connectors into Elasticsearch: each column's value in {@code _source} and its inferred field
 * mapping are asserted, for a snapshotted row, a streamed row and a row of NULLs. A second sink
 * without {@code ElasticsearchValues} in its chain reads the same topic: the sink converts raw
 * Debezium values through the same table, so its index must hold the same documents and mappings.
 */
@ExtendWith(DevStackExtension.class)
class TypeMatrixPipelineIT {
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  /** The index of the sink without ElasticsearchValues. */
  private static final String RAW = "raw_types";

  @Test
  void everyTypeIsIndexedWithItsValueAndMapping(SearchNode elasticsearch) throws Exception {
    try (ShippedPair pair = ShippedPair.start("type-matrix")) {
      String database = pair.postgres().createDatabase("shop");
      List<String> setup = new ArrayList<>(TypeMatrix.SETUP);
      setup.add(TypeMatrix.createTable());
      setup.add(TypeMatrix.insert(1));
      ShippedPair.sql(pair.postgres(), database, setup.toArray(String[]::new));
      pair.createConnectors(database, elasticsearch);
      createSinkWithoutValueConversion(pair, database, elasticsearch);
      PackagingIT.Search es = new PackagingIT.Search(elasticsearch);
      awaitIndexed(pair, es, 1);

      ShippedPair.sql(
          pair.postgres(), database, TypeMatrix.insert(2), "INSERT INTO types (id) VALUES (3)");
      awaitIndexed(pair, es, 3);

      List<String> mismatches = new ArrayList<>();
      for (String index : List.of("types", RAW)) {
        for (int id = 1; id <= 3; id++) {
          mismatches.addAll(valueMismatches(index, id, es.source(index, String.valueOf(id))));
        }
        mismatches.addAll(mappingMismatches(index, properties(elasticsearch, index)));
      }
      assertThat(mismatches).isEmpty();
      assertThat(properties(elasticsearch, RAW))
          .as("the same mappings with and without ElasticsearchValues")
          .isEqualTo(properties(elasticsearch, "types"));
      for (String connector : List.of("pg-source", "es-sink", "es-sink-raw")) {
        assertThat(pair.worker().rest().get("/connectors/" + connector + "/status").body())
            .asString()
            .doesNotContain("FAILED");
      }
    }
  }

  /** Waits for {@code count} documents in both indexes; a failure shows the dead letters. */
  private static void awaitIndexed(ShippedPair pair, PackagingIT.Search es, long count) {
    for (String index : List.of("types", RAW)) {
      try {
        es.awaitCount(index, count);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(index + ": " + deadLetters(pair, index), e);
      }
    }
  }

  private static String deadLetters(ShippedPair pair, String index) {
    String topic = index.equals(RAW) ? "es-sink-raw-dlq" : "es-sink-dlq";
    StringBuilder out = new StringBuilder("dead letters in " + topic + ":");
    try {
      for (ConsumerRecord<byte[], byte[]> dead :
          pair.kafka().embedded().consume(1, Duration.ofSeconds(20).toMillis(), topic)) {
        for (String header : List.of(PgsearchHeaders.ERROR_TYPE, PgsearchHeaders.ERROR_REASON)) {
          Header value = dead.headers().lastHeader(header);
          out.append(' ')
              .append(value == null ? "-" : new String(value.value(), StandardCharsets.UTF_8));
        }
      }
    } catch (RuntimeException e) {
      out.append(" none read (").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  /** The shipped sink with the document transform only, into {@code raw_<table>}. */
  private static void createSinkWithoutValueConversion(
      ShippedPair pair, String database, SearchNode elasticsearch) throws Exception {
    Map<String, String> values =
        ConnectConfigs.placeholders(pair.postgres(), database, elasticsearch);
    ObjectNode sink =
        (ObjectNode)
            JSON.readTree(
                ConnectConfigs.fill(
                    PackagingIT.ROOT.resolve("connect-configs").resolve("es-sink.json"), values));
    sink.put("name", "es-sink-raw");
    ObjectNode config = (ObjectNode) sink.get("config");
    assertThat(config.path("transforms").asText()).isEqualTo("document,values");
    config.put("transforms", "document");
    config.remove("transforms.values.type");
    config.put("index.name.template", "raw_${table}");
    config.put("errors.deadletterqueue.topic.name", "es-sink-raw-dlq");
    pair.worker().rest().post("/connectors", JSON.writeValueAsString(sink)).ok();
  }

  private static List<String> valueMismatches(String index, int id, JsonNode document)
      throws Exception {
    List<String> mismatches = new ArrayList<>();
    if (document == null) {
      return List.of(index + " has no document " + id);
    }
    for (TypeMatrix.Column column : TypeMatrix.COLUMNS) {
      JsonNode expected = JSON.readTree(id == 3 ? "null" : column.expected(List.of()));
      JsonNode actual = document.get(column.name());
      if (!expected.equals(actual)) {
        mismatches.add(
            String.format(
                Locale.ROOT,
                "%s/%d %s (%s): expected %s but was %s",
                index,
                id,
                column.name(),
                column.type(),
                expected,
                actual));
      }
    }
    return mismatches;
  }

  private static List<String> mappingMismatches(String index, JsonNode properties)
      throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (TypeMatrix.Column column : TypeMatrix.COLUMNS) {
      JsonNode actual = properties.get(column.name());
      boolean matches =
          column.mapping().equals("dynamic")
              ? actual != null
                  && actual.has("properties")
                  && !actual.has("type")
                  && !actual.toString().contains("\"long\"")
                  && !actual.toString().contains("\"float\"")
              : JSON.readTree(mapping(column.mapping())).equals(actual);
      if (!matches) {
        mismatches.add(
            String.format(
                Locale.ROOT,
                "%s mapping of %s (%s): expected %s but was %s",
                index,
                column.name(),
                column.type(),
                column.mapping(),
                actual));
      }
    }
    return mismatches;
  }

  /** The mapping a short name of {@link TypeMatrix#MAPPING_LEGEND} stands for. */
  private static String mapping(String name) {
    return switch (name) {
      case "text" ->
          "{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}}";
      case "exact" -> "{\"type\":\"double\",\"fields\":{\"exact\":{\"type\":\"keyword\"}}}";
      case "date_range" ->
          "{\"type\":\"date_range\",\"format\":\"strict_date_optional_time||strict_date\"}";
      default -> "{\"type\":\"" + name + "\"}";
    };
  }

  private static JsonNode properties(SearchNode elasticsearch, String index) throws Exception {
    return JSON.readTree(elasticsearch.mappings(index)).path("properties");
  }
}
