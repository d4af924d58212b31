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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every event carries the whole row: an UPDATE that leaves a TOASTed column unchanged arrives with
 * the column read back from the table, on a table without a row filter; a change whose row is gone
 * by the time it is read becomes a delete of its key.
 */
@ExtendWith(DevStackExtension.class)
class UnchangedToastIT {
  private static final String PLACEHOLDER = "__debezium_unavailable_value";

  @Test
  void unchangedToastColumnsAreReadBackAndAVanishedRowsChangeBecomesADelete(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = postgres.createDatabase("toast");
    String large = SourceFixture.randomText(200_000);
    sql(
        postgres,
        db,
        "CREATE TABLE docs (id int PRIMARY KEY, title text, body text, tags text[])",
        "INSERT INTO docs VALUES (1, 'one', '" + large + "', ARRAY['" + large + "'])",
        "INSERT INTO docs VALUES (2, 'two', '" + large + "', ARRAY['a'])");
    SourceFixture.start(connect, "toast", config(postgres, db, "toast"));
    await().atMost(TIMEOUT).until(() -> changes(connect, "toast.public.docs").size() == 2);

    // No row filter, REPLICA IDENTITY DEFAULT: PostgreSQL leaves body and tags out of these.
    sql(postgres, db, "UPDATE docs SET title = 'one, renamed' WHERE id = 1");
    try (var connection = postgres.connect(db);
        var statement = connection.createStatement()) {
      // One transaction: when its changes are decoded, row 2 is already gone.
      connection.setAutoCommit(false);
      statement.execute("UPDATE docs SET title = 'two, renamed' WHERE id = 2");
      statement.execute("DELETE FROM docs WHERE id = 2");
      connection.commit();
    }

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(changes(connect, "toast.public.docs")).hasSize(5));
    List<Event> events = changes(connect, "toast.public.docs");
    Event update = events.get(2);
    assertThat(update.op()).isEqualTo("u");
    assertThat(update.id()).isEqualTo(1);
    assertThat(update.after().path("title").asText()).isEqualTo("one, renamed");
    assertThat(update.after().path("body").asText()).isEqualTo(large);
    assertThat(update.after().path("tags").get(0).asText()).isEqualTo(large);
    assertThat(events.get(3).op()).as("the update of a row gone since").isEqualTo("d");
    assertThat(events.get(3).id()).isEqualTo(2);
    assertThat(events.get(4).op()).isEqualTo("d");
    assertThat(events.get(4).id()).isEqualTo(2);
    assertThat(events.toString()).doesNotContain(PLACEHOLDER);
    SourceFixture.stop(connect, "toast");
  }
}
