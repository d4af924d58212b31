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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental snapshots that the connector marks (a rebuild, the exit of rows from a changed row
 * filter) survive their task going down in their middle, as after a crash, where the committed
 * offsets lag what the task sent. The test holds the snapshot after {@value #HELD_CHUNKS} chunks (a
 * trigger on the signal table makes the next chunk's window wait on a lock the test holds) until
 * the committed offsets carry it, lets it finish, stops the connector, sets its offsets back to
 * that early chunk and resumes it: Debezium reads the snapshot again from there, and the marks must
 * hold for every row it reads after the resume. A rebuild's end is sent again only once every later
 * row was read again (else the sink would swap its alias to a partly filled generation), and each
 * leaving row read again is a delete, never a read. Both initial loads run: their offsets differ.
 */
@ExtendWith(DevStackExtension.class)
class SnapshotRestartIT {
  private static final int ROWS = 10_000;
  private static final int CHUNK = 100;

  /** The chunks read before the snapshot is held. */
  private static final int HELD_CHUNKS = 20;

  /** The advisory lock the held snapshot waits on. */
  private static final int LOCK = 4242;

  /**
   * Debezium confirms a committed position to the replication slot, after which PostgreSQL may drop
   * the WAL before it; a crashed task never resumes before that position. Offsets set back by the
   * test can, so the slot is kept where it was (Debezium's own setting).
   */
  private static final String KEEP_SLOT = "flush.lsn.source";

  @ParameterizedTest(name = "initial.load={0}")
  @ValueSource(strings = {"blocking", "incremental"})
  void aRebuildEndsAgainOnlyAfterEveryLaterRowWasReadAgain(
      String initialLoad, PostgresNode postgres, ConnectCluster connect) throws Exception {
    String name = "rebuild-restart-" + initialLoad;
    String db = postgres.createDatabase("rebuildrestart" + initialLoad);
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
        "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, " + ROWS + ") g");
    String topic =
        start(connect, config(postgres, db, "rbr" + initialLoad.charAt(0)), name, initialLoad);

    String id;
    JsonNode early;
    try (Connection lock = hold(postgres, db, name)) {
      try (Statement statement = lock.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT public.pgsearch_rebuild_restart_"
                      + initialLoad
                      + "_rebuild('public.items')")) {
        result.next();
        id = result.getString(1);
      }
      early = committedOffsets(connect, name, id);
    }
    await().atMost(TIMEOUT).until(() -> ends(records(connect, topic), id).size() == 1);
    int resumedAt = stopRewindAndResume(connect, name, early, topic);

    await().atMost(TIMEOUT).until(() -> ends(records(connect, topic), id).size() == 2);
    List<Received> received = records(connect, topic);
    int secondEnd = ends(received, id).get(1);
    List<Integer> readAgain = rebuildReads(received.subList(resumedAt, secondEnd), id);
    assertThat(readAgain).as("rows read again after the resume").isNotEmpty();
    int from = readAgain.stream().min(Integer::compare).orElseThrow();
    assertThat(from)
        .as("the resume starts at or before the chunk held")
        .isLessThanOrEqualTo(HELD_CHUNKS * CHUNK + 1);
    Set<Integer> missing = new java.util.TreeSet<>(range(from, ROWS));
    missing.removeAll(readAgain);
    assertThat(missing)
        .as("rows after %d not read again for rebuild %s before its end was sent again", from, id)
        .isEmpty();
    SourceFixture.stop(connect, name);
  }

  @ParameterizedTest(name = "initial.load={0}")
  @ValueSource(strings = {"blocking", "incremental"})
  void rowsLeavingAChangedFilterAreDeletedAgainNeverRead(
      String initialLoad, PostgresNode postgres, ConnectCluster connect) throws Exception {
    String name = "exit-restart-" + initialLoad;
    String db = postgres.createDatabase("exitrestart" + initialLoad);
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, kept boolean NOT NULL)",
        "INSERT INTO items SELECT g, 'item ' || g, true FROM generate_series(1, " + ROWS + ") g");
    Map<String, String> config = config(postgres, db, "exr" + initialLoad.charAt(0));
    config.put("row.filter.public.items", "kept");
    config.put("replica.identity.autoset", "true");
    String topic = start(connect, config, name, initialLoad);
    int before = records(connect, topic).size();

    // Odd ids leave the filter: each must be deleted from the index.
    Set<Integer> leaving = new HashSet<>();
    range(1, ROWS).stream().filter(i -> i % 2 == 1).forEach(leaving::add);
    JsonNode early;
    try (Connection lock = hold(postgres, db, name)) {
      config.put("row.filter.public.items", "kept AND id % 2 = 0");
      connect.rest().put("/connectors/" + name + "/config", config).ok();
      early = committedOffsets(connect, name, RowFilterChanges.EXIT_MARKER);
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> ops(records(connect, topic), before, "d").containsAll(leaving));
    int resumedAt = stopRewindAndResume(connect, name, early, topic);

    await()
        .atMost(TIMEOUT)
        .until(() -> ops(records(connect, topic), resumedAt, "d").contains(ROWS - 1));
    List<Received> received = records(connect, topic);
    assertThat(ops(received, resumedAt, "d"))
        .as("leaving rows deleted again after the resume")
        .hasSizeGreaterThanOrEqualTo((ROWS / 2) - HELD_CHUNKS * CHUNK);
    assertThat(ops(received, before, "r"))
        .as("rows leaving the filter read (indexed again) instead of deleted")
        .isEmpty();
    assertThat(ops(received, before, "d")).as("rows deleted").isEqualTo(leaving);
    SourceFixture.stop(connect, name);
  }

  /** Starts the connector on table items and waits for its initial load; returns the topic. */
  private static String start(
      ConnectCluster connect, Map<String, String> config, String name, String initialLoad) {
    config.put("tables", "items");
    config.put("initial.load", initialLoad);
    config.put("incremental.snapshot.chunk.size", String.valueOf(CHUNK));
    config.put(KEEP_SLOT, "false");
    String topic = config.get("topic.prefix") + ".public.items";
    SourceFixture.start(connect, name, config);
    await().atMost(TIMEOUT).until(() -> records(connect, topic).size() >= ROWS);
    return topic;
  }

  /**
   * Takes the advisory lock that holds incremental snapshots after {@value #HELD_CHUNKS} more
   * chunks: the trigger counts the windows Debezium opens (a row it inserts into the signal table)
   * and makes each later one wait for the lock. Closing the connection releases it.
   */
  private static Connection hold(PostgresNode postgres, String db, String name) throws Exception {
    String signal = "public.pgsearch_" + name.replace('-', '_') + "_signal";
    sql(
        postgres,
        db,
        "CREATE TABLE windows_opened (n int NOT NULL)",
        "INSERT INTO windows_opened VALUES (0)",
        "CREATE FUNCTION hold_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.type = 'snapshot-window-open' THEN"
            + " UPDATE windows_opened SET n = n + 1;"
            + " IF (SELECT n FROM windows_opened) > "
            + HELD_CHUNKS
            + " THEN PERFORM pg_advisory_xact_lock("
            + LOCK
            + "); END IF;"
            + " END IF; RETURN NEW; END $$",
        "CREATE TRIGGER hold_snapshot BEFORE INSERT ON "
            + signal
            + " FOR EACH ROW EXECUTE FUNCTION hold_snapshot()");
    Connection connection = postgres.connect(db);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + LOCK + ")");
    }
    return connection;
  }

  /**
   * The connector's committed offsets once they hold a snapshot whose queued collections mention
   * {@code marker} (its id or condition): a chunk of it before the hold.
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
   * Stops the connector, sets its committed offsets back to {@code early} (what a task that crashed
   * before committing later ones resumes from) and resumes it; returns how many records the topic
   * held before the resume.
   */
  private static int stopRewindAndResume(
      ConnectCluster connect, String name, JsonNode early, String topic) {
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
    int resumedAt = records(connect, topic).size();
    connect.rest().patch("/connectors/" + name + "/offsets", Map.of("offsets", early)).ok();
    connect.rest().put("/connectors/" + name + "/resume", null);
    connect.rest().awaitRunning(name, 1, TIMEOUT);
    return resumedAt;
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  /** One record of the topic: its op ({@code null}: tombstone or no value), id and headers. */
  private record Received(String op, int id, Map<String, String> headers) {}

  private static List<Received> records(ConnectCluster connect, String topic) {
    List<Received> received = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : SourceFixture.records(connect, topic)) {
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
}
