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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One SQL statement re-emits every row of a table, filter applied, while streaming goes on. */
@ExtendWith(DevStackExtension.class)
class ResyncIT {
  private static final int ROWS = 300;
  private static final int MATCHING = 250;

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

    AtomicBoolean updating = new AtomicBoolean(true);
    AtomicReference<Exception> updaterFailure = new AtomicReference<>();
    Thread updater = new Thread(() -> updateRandomRows(postgres, db, updating, updaterFailure));
    updater.start();
    try {
      int before = SourceFixture.events(connect, topic).size();
      sql(postgres, db, "SELECT public.pgsearch_resync_src_resync('public.items')");
      // Every matching row is emitted again: as a snapshot read, or, when an update streamed
      // inside the snapshot window, as that update (Debezium drops the then stale read).
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                List<Event> after = SourceFixture.events(connect, topic);
                List<Event> resynced = after.subList(before, after.size());
                assertThat(
                        resynced.stream()
                            .filter(e -> e.op() != null)
                            .map(Event::id)
                            .collect(Collectors.toSet()))
                    .hasSize(MATCHING);
                assertThat(resynced.stream().filter(e -> "r".equals(e.op())).count())
                    .isGreaterThan(MATCHING / 2);
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
            });
    List<Event> events = changes(connect, topic);
    assertThat(events).allSatisfy(e -> assertThat(e.id()).isLessThanOrEqualTo(MATCHING));
    assertThat(events.stream().filter(e -> e.op().equals("u")).count())
        .as("updates streamed during the re-sync")
        .isPositive();
    SourceFixture.stop(connect, "resync-src");
  }

  private static void updateRandomRows(
      PostgresNode postgres,
      String db,
      AtomicBoolean updating,
      AtomicReference<Exception> failure) {
    try (Connection connection = postgres.connect(db);
        PreparedStatement update =
            connection.prepareStatement("UPDATE items SET v = v + 1 WHERE id = ?")) {
      while (updating.get()) {
        update.setInt(1, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
        update.executeUpdate();
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
