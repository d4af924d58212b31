package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental snapshots that the connector marks (a rebuild, the exit of rows from a changed row
 * filter) survive their task going down in their middle, as after a crash: the task is stopped and
 * its committed offsets are set back to an early chunk of the snapshot (a crashed task's last
 * committed offset lags what it sent), then it resumes. Debezium reads the snapshot on from that
 * chunk, and the marks hold for every row it reads after the resume: a rebuild ends only once every
 * row was read (else the sink would swap its alias to a partly filled generation), and every row
 * leaving the filter gets a delete, never a read. Both initial loads are run: their offsets differ.
 */
@ExtendWith(DevStackExtension.class)
class SnapshotRestartIT {
  private static final int ROWS = 20_000;

  /** Small chunks: the snapshot takes many of them, so the stop falls in its middle. */
  private static final int CHUNK = 100;

  /** Stop the task once this many rows of the snapshot are on the topic. */
  private static final int STOP_AT = 2_000;

  /**
   * Debezium confirms a committed position to the replication slot, after which PostgreSQL may drop
   * the WAL before it; a crashed task never resumes before that position. Offsets set back by the
   * test can, so the slot is kept where it was (Debezium's own setting).
   */
  private static final String KEEP_SLOT = "flush.lsn.source";

  @ParameterizedTest(name = "initial.load={0}")
  @ValueSource(strings = {"blocking", "incremental"})
  void aRebuildEndsOnlyAfterEveryRowWasReadThoughItsTaskWentDownMidway(
      String initialLoad, PostgresNode postgres, ConnectCluster connect) throws Exception {
    String name = "rebuild-restart-" + initialLoad;
    String db = postgres.createDatabase("rebuildrestart" + initialLoad);
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
        "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, " + ROWS + ") g");
    String prefix = "rbr" + initialLoad.charAt(0);
    Map<String, String> config = config(postgres, db, prefix);
    config.put("tables", "items");
    config.put("initial.load", initialLoad);
    config.put("incremental.snapshot.chunk.size", String.valueOf(CHUNK));
    config.put(KEEP_SLOT, "false");
    String topic = prefix + ".public.items";
    SourceFixture.start(connect, name, config);
    await().atMost(TIMEOUT).until(() -> records(connect, topic).size() >= ROWS);

    String id;
    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT public.pgsearch_rebuild_restart_"
                    + initialLoad
                    + "_rebuild('public.items')")) {
      result.next();
      id = result.getString(1);
    }
    JsonNode early = committedOffsets(connect, name, id);
    await()
        .atMost(TIMEOUT)
        .until(() -> rebuildReads(records(connect, topic), id).size() >= STOP_AT);
    stopRewindAndResume(connect, name, early, () -> ends(records(connect, topic), id).isEmpty());

    await().atMost(TIMEOUT).until(() -> !ends(records(connect, topic), id).isEmpty());
    List<Received> received = records(connect, topic);
    int end = ends(received, id).get(0);
    Set<Integer> readBeforeEnd = new HashSet<>(rebuildReads(received.subList(0, end), id));
    assertThat(missing(readBeforeEnd))
        .as("rows of the table not read for rebuild %s before its end", id)
        .isEmpty();
    assertThat(ends(received, id)).as("one end per partition").hasSize(1);
    SourceFixture.stop(connect, name);
  }

  @ParameterizedTest(name = "initial.load={0}")
  @ValueSource(strings = {"blocking", "incremental"})
  void rowsLeavingAChangedFilterAreDeletedThoughTheTaskWentDownMidway(
      String initialLoad, PostgresNode postgres, ConnectCluster connect) throws Exception {
    String name = "exit-restart-" + initialLoad;
    String db = postgres.createDatabase("exitrestart" + initialLoad);
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, kept boolean NOT NULL)",
        "INSERT INTO items SELECT g, 'item ' || g, true FROM generate_series(1, " + ROWS + ") g");
    String prefix = "exr" + initialLoad.charAt(0);
    Map<String, String> config = config(postgres, db, prefix);
    config.put("tables", "items");
    config.put("initial.load", initialLoad);
    config.put("replica.identity.autoset", "true");
    config.put("incremental.snapshot.chunk.size", String.valueOf(CHUNK));
    config.put(KEEP_SLOT, "false");
    config.put("row.filter.public.items", "kept");
    String topic = prefix + ".public.items";
    SourceFixture.start(connect, name, config);
    await().atMost(TIMEOUT).until(() -> records(connect, topic).size() >= ROWS);
    int before = records(connect, topic).size();

    // Odd ids leave the filter: each must be deleted from the index.
    config.put("row.filter.public.items", "kept AND id % 2 = 0");
    connect.rest().put("/connectors/" + name + "/config", config).ok();
    JsonNode early = committedOffsets(connect, name, RowFilterChanges.EXIT_MARKER);
    await()
        .atMost(TIMEOUT)
        .until(() -> ops(records(connect, topic), before, "d").size() >= STOP_AT);
    stopRewindAndResume(
        connect, name, early, () -> ops(records(connect, topic), before, "d").size() < ROWS / 2);

    Set<Integer> leaving =
        IntStream.rangeClosed(1, ROWS).filter(i -> i % 2 == 1).boxed().collect(Collectors.toSet());
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(ops(records(connect, topic), before, "d"))
                    .as("rows leaving the filter deleted")
                    .containsAll(leaving));
    List<Received> received = records(connect, topic);
    assertThat(ops(received, before, "r"))
        .as("rows leaving the filter read (indexed again) instead of deleted")
        .isEmpty();
    assertThat(ops(received, before, "d")).as("rows deleted").isEqualTo(leaving);
    SourceFixture.stop(connect, name);
  }

  /**
   * The connector's committed offsets once they hold a snapshot whose queued collections mention
   * {@code marker} (its id or condition): an early chunk of it.
   */
  private static JsonNode committedOffsets(ConnectCluster connect, String name, String marker) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode offsets =
                  connect.rest().get("/connectors/" + name + "/offsets").body().path("offsets");
              for (JsonNode offset : offsets) {
                if (offset
                    .path("offset")
                    .path(FilterExitDeletes.COLLECTIONS)
                    .asText("")
                    .contains(marker)) {
                  found[0] = offsets;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  /**
   * Stops the connector, checks that the snapshot is still under way, sets the committed offsets
   * back to {@code early} (what a task that crashed before committing later ones resumes from), and
   * resumes it.
   */
  private static void stopRewindAndResume(
      ConnectCluster connect, String name, JsonNode early, BooleanSupplier underWay) {
    connect.rest().put("/connectors/" + name + "/stop", null);
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                "STOPPED"
                    .equals(
                        connect
                            .rest()
                            .get("/connectors/" + name + "/status")
                            .body()
                            .path("connector")
                            .path("state")
                            .asText()));
    assertThat(underWay.getAsBoolean()).as("the snapshot was stopped in its middle").isTrue();
    connect.rest().patch("/connectors/" + name + "/offsets", Map.of("offsets", early)).ok();
    connect.rest().put("/connectors/" + name + "/resume", null);
    connect.rest().awaitRunning(name, 1, TIMEOUT);
  }

  /** One record of the topic: its op ({@code null}: tombstone or no value), id and headers. */
  private record Received(String op, int id, Map<String, String> headers) {}

  private static List<Received> records(ConnectCluster connect, String topic) {
    List<Received> received = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> record :
          connect.embedded().kafka().consumeAll(TIMEOUT.toMillis(), topic)) {
        JsonNode key = SourceFixture.parse(record.key());
        JsonNode value = SourceFixture.parse(record.value());
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : record.headers()) {
          headers.put(
              header.key(),
              header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        received.add(
            new Received(
                value == null ? null : value.path("op").asText(),
                key == null ? -1 : key.path("id").asInt(),
                headers));
      }
    } catch (Exception e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return List.of();
      }
      throw new IllegalStateException("Reading topic " + topic, e);
    }
    return received;
  }

  /** The ids read with the rebuild's mark. */
  private static List<Integer> rebuildReads(List<Received> records, String id) {
    return records.stream()
        .filter(r -> "r".equals(r.op()) && id.equals(r.headers().get(PgsearchHeaders.REBUILD)))
        .map(Received::id)
        .toList();
  }

  /** The positions of the rebuild's end records. */
  private static List<Integer> ends(List<Received> records, String id) {
    List<Integer> ends = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      Map<String, String> headers = records.get(i).headers();
      if (PgsearchHeaders.REBUILD_END_OP.equals(headers.get(PgsearchHeaders.OP))
          && id.equals(headers.get(PgsearchHeaders.REBUILD))) {
        ends.add(i);
      }
    }
    return ends;
  }

  /** The ids of the records with this op after the first {@code from}. */
  private static Set<Integer> ops(List<Received> records, int from, String op) {
    return records.subList(Math.min(from, records.size()), records.size()).stream()
        .filter(r -> op.equals(r.op()))
        .map(Received::id)
        .collect(Collectors.toSet());
  }

  private static Set<Integer> missing(Set<Integer> ids) {
    return IntStream.rangeClosed(1, ROWS)
        .filter(i -> !ids.contains(i))
        .boxed()
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
