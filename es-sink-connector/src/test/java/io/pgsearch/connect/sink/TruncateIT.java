package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.SearchNodes;
import io.pgsearch.connect.sink.truncate.IndexMetaFloors;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A TRUNCATE record (no key, no value, {@code pgsearch.op=t}) on one partition of a two-partition
 * topic, read by two tasks: the documents older than it go, whichever partition they came from,
 * later ones stay, and an older row still on its way after the truncate is held back by the floor;
 * on each server the sink supports.
 */
@ExtendWith(DevStackExtension.class)
class TruncateIT {
  private static final Schema ROW =
      SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).build();
  private static final long TRUNCATE_AT = 100_000;

  @ParameterizedTest(name = "{0}")
  @EnumSource(SearchDistribution.class)
  void aTruncateEmptiesTheIndexOfOlderRows(
      SearchDistribution server, ConnectCluster connect, SearchNodes nodes) {
    truncate(connect, nodes.get(server), server.optionValue());
  }

  private static void truncate(ConnectCluster connect, SearchNode elasticsearch, String label) {
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "truncate-" + label + "-" + System.nanoTime();
      harness.createTopic(topic, 2);
      Map<String, String> config = harness.sinkConfig(topic);
      config.put("tasks.max", "2");
      harness.startSink("truncate-" + label, config);
      for (int n = 0; n < 2_500; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("before " + n), 10L + n);
      }
      harness.flush();
      harness.awaitCount(topic, 2_500, Duration.ofMinutes(2));

      harness.sendBytes(
          topic,
          null,
          null,
          Map.of(PgsearchHeaders.OP, "t", PgsearchHeaders.LSN, String.valueOf(TRUNCATE_AT)));
      for (int n = 0; n < 10; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, ROW, row("after " + n), TRUNCATE_AT + 1 + n);
      }
      // A row older than the truncate, arriving after it (another partition lagging behind).
      harness.send(topic, Schema.INT32_SCHEMA, 5_000, ROW, row("late"), TRUNCATE_AT - 1);
      harness.flush();

      harness.awaitCount(topic, 10, Duration.ofMinutes(2));
      for (int n = 0; n < 10; n++) {
        assertThat(harness.source(topic, String.valueOf(n)).path("name").asText())
            .isEqualTo("after " + n);
      }
      assertThat(harness.source(topic, "5000")).as("older than the truncate").isNull();
      assertThat(harness.source(topic, "11")).isNull();
      String mapping = elasticsearch.mappings(topic);
      long floor = SinkHarness.json(mapping).path("_meta").path(IndexMetaFloors.META_KEY).asLong();
      assertThat(floor).as(mapping).isEqualTo(TRUNCATE_AT);
      assertThat(connect.rest().get("/connectors/truncate-" + label + "/status").body().toString())
          .doesNotContain("FAILED");
      harness.deleteSink("truncate-" + label);
    }
  }

  private static Struct row(String name) {
    return new Struct(ROW).put("name", name);
  }
}
