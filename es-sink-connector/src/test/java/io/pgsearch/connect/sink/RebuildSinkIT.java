package io.pgsearch.connect.sink;

import static io.pgsearch.connect.sink.SinkHarness.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.SearchNodes;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rebuild as the source connector sends it, on each server the sink supports: records of the
 * table marked with {@code pgsearch.rebuild} (the rebuild's reads of every row, and changes) on a
 * two-partition topic read by two tasks, then a rebuild end in each partition. The sink builds the
 * next generation with the definition configured now and writes both; the tasks restart twice on
 * the way (with the generation half built, and with one partition's end applied) and go on from
 * what the server holds; the alias is swapped once both ends are applied, and the replaced
 * generation deleted. A row the new mapping refuses goes to the dead letter queue, naming the
 * generation.
 */
@ExtendWith(DevStackExtension.class)
class RebuildSinkIT {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("name", Schema.STRING_SCHEMA)
          .field("qty", Schema.STRING_SCHEMA)
          .build();
  private static final int ROWS = 2_000;
  private static final int REFUSED = 1_501;
  private static final int AFTER_THE_END = 20;
  private static final String REBUILD = "rebuild-20261126101500000000-0a1b2c3d";
  private static final String DEFINITION =
      "{\"mappings\": {\"properties\": {\"name\": {\"type\": \"keyword\"},"
          + " \"qty\": {\"type\": \"integer\"}}}}";

  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void aRebuildBuildsTheNextGenerationAndSwapsTheAlias(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) {
    SearchNode node = nodes.get(server);
    String name = "rebuild-" + server.optionValue();
    try (SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      String dlq = topic + "-dlq";
      harness.createTopic(topic, 2);
      harness.createTopic(dlq, 1);
      Map<String, String> config = SinkHarness.withDeadLetterQueue(harness.sinkConfig(topic), dlq);
      config.put("tasks.max", "2");
      harness.startSink(name, config);
      for (int n = 0; n < ROWS; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("before " + n, n), 10L + n);
      }
      harness.flush();
      harness.awaitCount(topic, ROWS, Duration.ofMinutes(2));
      assertThat(property(node, topic, "qty").path("type").asText()).isEqualTo("text");

      config.put("index.definition", DEFINITION);
      connect.rest().reconfigure(name, config, 2, Duration.ofMinutes(2));
      Map<String, String> rebuild = Map.of(PgsearchHeaders.REBUILD, REBUILD);
      for (int n = 0; n < ROWS; n++) {
        // the rebuild's read of each row, then a change of every tenth row after it
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("read " + n, n), 10_000L + n, rebuild);
        if (n % 10 == 0) {
          harness.send(
              topic, Schema.INT32_SCHEMA, n, ROW, row("changed " + n, n), 20_000L + n, rebuild);
        }
        if (n == ROWS / 2) {
          harness.flush();
          Awaitility.await()
              .atMost(Duration.ofMinutes(1))
              .until(() -> node.request("HEAD", "/" + topic + "-000002", null).status() == 200);
          restart(connect, name);
        }
      }
      end(harness, topic, 0);
      harness.flush();
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> aliases(node).contains(topic + "-000002-rebuild-caught-up-0"));
      restart(connect, name);
      assertThat(concrete(node, topic))
          .as("one partition's end to come")
          .containsExactly(topic + "-000001");
      end(harness, topic, 1);
      // Changes after the end, in both partitions: the task of partition 0 started after its end
      // was applied, and must still write them to the generation being built.
      for (int n = 1; n <= AFTER_THE_END; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("after the end", n), 40_000L + n);
      }
      harness.flush();

      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> concrete(node, topic).equals(List.of(topic + "-000002")));
      assertThat(property(node, topic, "name").path("type").asText()).isEqualTo("keyword");
      assertThat(property(node, topic, "qty").path("type").asText()).isEqualTo("integer");
      for (int n = 1; n <= AFTER_THE_END; n++) {
        String id = String.valueOf(n);
        Awaitility.await()
            .atMost(Duration.ofMinutes(1))
            .untilAsserted(
                () ->
                    assertThat(harness.source(topic, id).path("name").asText())
                        .as("document " + id)
                        .isEqualTo("after the end"));
      }
      assertThat(harness.count(topic)).as("every row but the refused one").isEqualTo(ROWS - 1);
      assertThat(harness.source(topic, "30").path("name").asText()).isEqualTo("changed 30");
      assertThat(harness.source(topic, "31").path("name").asText()).isEqualTo("read 31");
      assertThat(harness.source(topic, "31").path("qty").asText()).isEqualTo("31");
      assertThat(harness.source(topic, String.valueOf(REFUSED))).isNull();
      assertThat(aliases(node)).as("no marker alias left").doesNotContain("caught-up");

      // The row the new mapping refuses (more than once when a restart replayed it).
      List<ConsumerRecord<byte[], byte[]>> dead = harness.deadLetters(dlq, 1);
      assertThat(dead)
          .isNotEmpty()
          .allSatisfy(
              record -> {
                assertThat(header(record, "__connect.errors.topic")).isEqualTo(topic);
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("many");
                assertThat(header(record, PgsearchHeaders.ERROR_REASON))
                    .startsWith("index " + topic + "-000002 (being rebuilt): ")
                    .contains("qty");
              });

      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> node.request("GET", "/" + topic + "-000001", null).status() == 404);
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
  }

  private static void restart(ConnectCluster connect, String name) {
    connect
        .rest()
        .post("/connectors/" + name + "/restart?includeTasks=true&onlyFailed=false", null)
        .ok();
    connect.rest().awaitRunning(name, 2, Duration.ofMinutes(2));
  }

  private static void end(SinkHarness harness, String topic, int partition) {
    harness.sendBytes(
        topic,
        partition,
        null,
        null,
        Map.of(
            PgsearchHeaders.OP,
            PgsearchHeaders.REBUILD_END_OP,
            PgsearchHeaders.REBUILD,
            REBUILD,
            PgsearchHeaders.REBUILD_PARTITIONS,
            "2",
            PgsearchHeaders.LSN,
            "30000"));
  }

  private static String aliases(SearchNode node) {
    return node.request("GET", "/_alias", null).body();
  }

  private static List<String> concrete(SearchNode node, String alias) {
    SearchNode.Response response = node.request("GET", "/_alias/" + alias, null);
    List<String> names = new ArrayList<>();
    if (response.status() == 200) {
      SinkHarness.json(response.body()).fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static JsonNode property(SearchNode node, String index, String field) {
    return SinkHarness.json(node.mappings(index)).path("properties").path(field);
  }

  /** Row {@code n}: its quantity is a number, but for one row whose text no integer field takes. */
  private static Struct row(String name, int n) {
    return new Struct(ROW).put("name", name).put("qty", n == REFUSED ? "many" : String.valueOf(n));
  }
}
