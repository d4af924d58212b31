package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A row's history captured by Debezium: snapshot, updates (several in one transaction), delete. The
 * sink versions documents by {@code pgsearch.lsn} with {@code version_type=external_gte}, so the
 * header must increase along each row's history, from the snapshot on.
 */
@ExtendWith(DevStackExtension.class)
class ChangeEventToDocumentIT {

  @Test
  void theLsnHeaderIncreasesAlongARowsHistory(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String database = postgres.createDatabase("history");
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
      sql.execute("INSERT INTO items VALUES (1, 'snapshot'), (2, 'other snapshot row')");
    }
    DebeziumCapture capture =
        DebeziumCapture.start(
            connect,
            postgres,
            database,
            "history",
            "items",
            Map.of(
                "transforms.document.metadata.fields",
                "source.lsn:lsn",
                // ChangeEventToDocument turns the delete itself into the tombstone.
                "tombstones.on.delete",
                "false"));
    try {
      try (Connection connection = postgres.connect(database);
          Statement sql = connection.createStatement()) {
        sql.execute("UPDATE items SET name = 'first update' WHERE id = 1");
        connection.setAutoCommit(false);
        sql.execute("UPDATE items SET name = 'in transaction 1' WHERE id = 1");
        sql.execute("UPDATE items SET name = 'other row' WHERE id = 2");
        sql.execute("UPDATE items SET name = 'in transaction 2' WHERE id = 1");
        sql.execute("UPDATE items SET name = 'in transaction 3' WHERE id = 1");
        connection.commit();
        connection.setAutoCommit(true);
        sql.execute("INSERT INTO items VALUES (3, 'short lived')");
        sql.execute("DELETE FROM items WHERE id = 3");
        sql.execute("UPDATE items SET name = 'last' WHERE id = 1");
      }

      List<DebeziumCapture.Captured> records = capture.read("items", 10);

      List<DebeziumCapture.Captured> row1 =
          records.stream().filter(r -> r.key().path("id").asInt() == 1).toList();
      assertThat(row1)
          .extracting(r -> r.document().path("name").asText())
          .containsExactly(
              "snapshot",
              "first update",
              "in transaction 1",
              "in transaction 2",
              "in transaction 3",
              "last");
      assertThat(row1)
          .extracting(r -> r.headers().get(PgsearchHeaders.OP))
          .containsExactly("r", "u", "u", "u", "u", "u");
      List<Long> versions = row1.stream().map(ChangeEventToDocumentIT::lsn).toList();
      assertThat(versions).isSorted().doesNotHaveDuplicates();
      // Debezium's own source.lsn does not strictly increase: the snapshot row carries the slot's
      // consistent point, where the first streamed change is written. This is why the header
      // doubles the LSN and adds one for streamed changes.
      List<Long> sourceLsns = row1.stream().map(r -> r.document().path("__lsn").asLong()).toList();
      assertThat(sourceLsns).isSorted();
      assertThat(sourceLsns.subList(1, sourceLsns.size())).doesNotHaveDuplicates();
      for (DebeziumCapture.Captured record : row1) {
        long streamed = "r".equals(record.headers().get(PgsearchHeaders.OP)) ? 0 : 1;
        assertThat(lsn(record)).isEqualTo(2 * record.document().path("__lsn").asLong() + streamed);
        assertThat(record.headers())
            .containsEntry(PgsearchHeaders.SCHEMA, "public")
            .containsEntry(PgsearchHeaders.TABLE, "items")
            .containsKey(PgsearchHeaders.COMMIT_TS);
      }

      List<DebeziumCapture.Captured> row3 =
          records.stream().filter(r -> r.key().path("id").asInt() == 3).toList();
      assertThat(row3).hasSize(2);
      assertThat(row3.get(1).document()).as("delete becomes a tombstone").isNull();
      assertThat(row3.get(1).headers()).containsEntry(PgsearchHeaders.OP, "d");
      assertThat(lsn(row3.get(1))).isGreaterThan(lsn(row3.get(0)));
      assertThat(records.stream().filter(r -> r.document() == null)).hasSize(1);
    } finally {
      capture.stop();
    }
  }

  private static long lsn(DebeziumCapture.Captured record) {
    return Long.parseLong(record.headers().get(PgsearchHeaders.LSN));
  }
}
