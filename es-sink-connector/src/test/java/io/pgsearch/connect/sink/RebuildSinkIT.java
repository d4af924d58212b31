package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.SearchNodes;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * next generation with the definition configured now, writes both, swaps the alias once both
 * partitions' ends are applied, and deletes the replaced generation.
 */
@ExtendWith(DevStackExtension.class)
class RebuildSinkIT {
  private static final Schema ROW =
      SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).build();
  private static final int ROWS = 2_000;
  private static final String REBUILD = "rebuild-20261126101500000000-0a1b2c3d";

  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void aRebuildBuildsTheNextGenerationAndSwapsTheAlias(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) {
    SearchNode node = nodes.get(server);
    String name = "rebuild-" + server.optionValue();
    try (SinkHarness harness = new SinkHarness(connect, node)) {
      String topic = name + "-" + System.nanoTime();
      harness.createTopic(topic, 2);
      Map<String, String> config = harness.sinkConfig(topic);
      config.put("tasks.max", "2");
      harness.startSink(name, config);
      for (int n = 0; n < ROWS; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("before " + n), 10L + n);
      }
      harness.flush();
      harness.awaitCount(topic, ROWS, Duration.ofMinutes(2));
      assertThat(property(node, topic, "name").path("type").asText()).isEqualTo("text");

      config.put(
          "index.definition",
          "{\"mappings\": {\"properties\": {\"name\": {\"type\": \"keyword\"}}}}");
      connect.rest().reconfigure(name, config, 2, Duration.ofMinutes(2));
      Map<String, String> rebuild = Map.of(PgsearchHeaders.REBUILD, REBUILD);
      for (int n = 0; n < ROWS; n++) {
        // the rebuild's read of each row, then a change of every tenth row after it
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("read " + n), 10_000L + n, rebuild);
        if (n % 10 == 0) {
          harness.send(
              topic, Schema.INT32_SCHEMA, n, ROW, row("changed " + n), 20_000L + n, rebuild);
        }
      }
      for (int partition = 0; partition < 2; partition++) {
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
      harness.send(topic, Schema.INT32_SCHEMA, 1, ROW, row("after the end"), 40_000L);
      harness.flush();

      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> concrete(node, topic).equals(List.of(topic + "-000002")));
      assertThat(harness.count(topic)).isEqualTo(ROWS);
      assertThat(property(node, topic, "name").path("type").asText()).isEqualTo("keyword");
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(harness.source(topic, "1").path("name").asText())
                      .isEqualTo("after the end"));
      assertThat(harness.source(topic, "10").path("name").asText()).isEqualTo("changed 10");
      assertThat(harness.source(topic, "11").path("name").asText()).isEqualTo("read 11");
      SearchNode.Response aliases = node.request("GET", "/_alias", null);
      assertThat(aliases.body()).as("no marker alias left").doesNotContain("caught-up");
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> node.request("GET", "/" + topic + "-000001", null).status() == 404);
      assertThat(connect.rest().get("/connectors/" + name + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink(name);
    }
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

  private static Struct row(String name) {
    return new Struct(ROW).put("name", name);
  }
}
