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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code tables=*}, a table created while the connector runs is captured without a restart:
 * its rows from before the publication knew it are read by an incremental snapshot, and its later
 * changes stream. A restart does not snapshot it again.
 */
@ExtendWith(DevStackExtension.class)
class NewTablesIT {

  @Test
  void aTableCreatedWhileRunningIsSnapshottedAndStreamedWithoutARestart(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("newtables");
    sql(
        postgres,
        db,
        "CREATE TABLE customers (id int PRIMARY KEY, name text)",
        "INSERT INTO customers VALUES (1, 'first')");
    Map<String, String> config = config(postgres, db, "nt");
    config.put("tables.discovery.interval.ms", "1000");
    SourceFixture.start(connect, "newtables", config);
    await().atMost(TIMEOUT).until(() -> changes(connect, "nt.public.customers").size() == 1);

    sql(
        postgres,
        db,
        "CREATE TABLE reviews (id int PRIMARY KEY, stars int)",
        "INSERT INTO reviews SELECT g, g % 5 FROM generate_series(1, 50) g");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "nt.public.reviews"))
                    .extracting(Event::id)
                    .containsAll(range(1, 50)));
    sql(
        postgres,
        db,
        "INSERT INTO reviews VALUES (51, 4)",
        "UPDATE reviews SET stars = 5 WHERE id = 1");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<Event> reviews = changes(connect, "nt.public.reviews");
              assertThat(reviews).anySatisfy(e -> assertThat(e.id()).isEqualTo(51));
              assertThat(reviews)
                  .anySatisfy(
                      e -> {
                        assertThat(e.op()).isEqualTo("u");
                        assertThat(e.after().path("stars").asInt()).isEqualTo(5);
                      });
            });
    // The old table streams on.
    sql(postgres, db, "INSERT INTO customers VALUES (2, 'second')");
    await().atMost(TIMEOUT).until(() -> changes(connect, "nt.public.customers").size() == 2);

    // A restart does not snapshot the table again: the signal was asked for once.
    connect.rest().post("/connectors/newtables/restart?includeTasks=true", null);
    connect.rest().awaitRunning("newtables", 1, TIMEOUT);
    sql(postgres, db, "INSERT INTO reviews VALUES (52, 1)");
    await()
        .atMost(TIMEOUT)
        .until(() -> changes(connect, "nt.public.reviews").stream().anyMatch(e -> e.id() == 52));
    try (var connection = postgres.connect(db);
        var statement = connection.createStatement();
        var signals =
            statement.executeQuery(
                "SELECT count(*) FROM pgsearch_newtables_signal WHERE type = 'execute-snapshot'"
                    + " AND data LIKE '%public.reviews%'")) {
      signals.next();
      assertThat(signals.getInt(1)).as("snapshot signals for the new table").isEqualTo(1);
    }
    assertThat(connect.rest().get("/connectors/newtables/status").body().toString())
        .doesNotContain("FAILED");
    SourceFixture.stop(connect, "newtables");
  }

  private static List<Integer> range(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
  }
}
