package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.TIMEOUT;
import static io.pgsearch.connect.source.SourceFixture.changes;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.source.SourceFixture.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One SQL statement re-emits every row of a table, filter applied, while streaming goes on: rows
 * nobody touches are each read again, rows updated meanwhile are read again or streamed, and every
 * update made during the re-sync reaches the topic.
 */
@ExtendWith(DevStackExtension.class)
class ResyncIT {
  private static final int ROWS = 300;
  private static final int MATCHING = 250;

  /** The updater changes ids 1..UPDATED (matching) and MATCHING+1..ROWS (filtered out). */
  private static final int UPDATED = 50;

  @Test
  void resyncReEmitsEveryMatchingRowWhileConcurrentUpdatesKeepStreaming(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("resync");
    sql(
        postgres,
        db,
        "CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)",
        "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
    Map<String, String> config = config(postgres, db, "rs");
    config.put("tables", "items");
    config.put("row.filter.public.items", "id <= " + MATCHING);
    SourceFixture.start(connect, "resync-src", config);
    String topic = "rs.public.items";
    await().atMost(TIMEOUT).until(() -> changes(connect, topic).size() == MATCHING);
    int before = SourceFixture.events(connect, topic).size();

    AtomicBoolean updating = new AtomicBoolean(true);
    AtomicReference<Exception> updaterFailure = new AtomicReference<>();
    AtomicInteger matchingUpdates = new AtomicInteger();
    Thread updater =
        new Thread(() -> updateRandomRows(postgres, db, updating, matchingUpdates, updaterFailure));
    updater.start();
    try {
      sql(postgres, db, "SELECT public.pgsearch_resync_src_resync('public.items')");
      // Every row nobody updates is read again; an updated row is read again or, when an update
      // streamed inside its snapshot window, emitted as that update (Debezium drops the then
      // stale read).
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                List<Event> resynced = after(connect, topic, before);
                assertThat(idsOf(resynced, "r"))
                    .as("rows no one updated, each read again")
                    .containsAll(range(UPDATED + 1, MATCHING));
                Set<Integer> updatedRows = idsOf(resynced, "r");
                updatedRows.addAll(idsOf(resynced, "u"));
                assertThat(updatedRows).containsAll(range(1, UPDATED));
              });
    } finally {
      updating.set(false);
      updater.join();
    }
    assertThat(updaterFailure.get()).isNull();
    sql(postgres, db, "UPDATE items SET v = v + 1000 WHERE id = 1");

    Map<Integer, Integer> current = currentRows(postgres, db);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<Event> events = changes(connect, topic);
              Map<Integer, Integer> last = new HashMap<>();
              for (Event event : events) {
                last.put(event.id(), event.row().path("v").asInt());
              }
              assertThat(last).isEqualTo(current);
              assertThat(after(connect, topic, before).stream().filter(e -> "u".equals(e.op())))
                  .as("every update of a matching row, during the re-sync and after it")
                  .hasSize(matchingUpdates.get() + 1);
            });
    List<Event> events = changes(connect, topic);
    assertThat(events).allSatisfy(e -> assertThat(e.id()).isLessThanOrEqualTo(MATCHING));
    SourceFixture.stop(connect, "resync-src");
  }

  /** The events written after the first {@code before} ones. */
  private static List<Event> after(ConnectCluster connect, String topic, int before) {
    List<Event> all = SourceFixture.events(connect, topic);
    return all.subList(before, all.size());
  }

  private static Set<Integer> idsOf(List<Event> events, String op) {
    return events.stream()
        .filter(e -> op.equals(e.op()))
        .map(Event::id)
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }

  private static void updateRandomRows(
      PostgresNode postgres,
      String db,
      AtomicBoolean updating,
      AtomicInteger matchingUpdates,
      AtomicReference<Exception> failure) {
    try (Connection connection = postgres.connect(db);
        PreparedStatement update =
            connection.prepareStatement("UPDATE items SET v = v + 1 WHERE id = ?")) {
      while (updating.get()) {
        boolean matching = ThreadLocalRandom.current().nextBoolean();
        update.setInt(
            1,
            matching
                ? ThreadLocalRandom.current().nextInt(1, UPDATED + 1)
                : ThreadLocalRandom.current().nextInt(MATCHING + 1, ROWS + 1));
        update.executeUpdate();
        if (matching) {
          matchingUpdates.incrementAndGet();
        }
        Thread.sleep(5);
      }
    } catch (Exception e) {
      failure.set(e);
    }
  }

  /** The rows the filter matches, as they are now: id to v. */
  private static Map<Integer, Integer> currentRows(PostgresNode postgres, String db)
      throws Exception {
    Map<Integer, Integer> rows = new HashMap<>();
    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT id, v FROM items WHERE id <= " + MATCHING)) {
      while (result.next()) {
        rows.put(result.getInt(1), result.getInt(2));
      }
    }
    return rows;
  }
}
