package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.data.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class FilterExitDeletesTest {
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema ROW =
      SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema SOURCE =
      SchemaBuilder.struct().field("table", Schema.STRING_SCHEMA).build();
  private static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("fch.public.products.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private static SourceRecord read(int id, String currentCondition) {
    Struct row = new Struct(ROW).put("id", id);
    Struct value = ENVELOPE.read(row, new Struct(SOURCE).put("table", "products"), Instant.now());
    Map<String, Object> offset =
        currentCondition == null
            ? Map.of("lsn", 10L)
            : Map.of(
                FilterExitDeletes.COLLECTIONS,
                "[{\"incremental_snapshot_collections_id\":\"public.products\","
                    + "\"incremental_snapshot_collections_additional_condition\":"
                    + "\""
                    + currentCondition
                    + "\"},{\"incremental_snapshot_collections_id\":\"public.products\","
                    + "\"incremental_snapshot_collections_additional_condition\":"
                    + "\"/* pgsearch:filter-exit */ (x)\"}]");
    return new SourceRecord(
        Map.of("server", "fch"),
        offset,
        "fch.public.products",
        0,
        KEY,
        new Struct(KEY).put("id", id),
        ENVELOPE.schema(),
        value);
  }

  @Test
  void readsOfTheCurrentExitSnapshotBecomeDeletesOfTheSameKey() {
    List<SourceRecord> records =
        new ArrayList<>(
            List.of(
                // Debezium keeps the condition in parentheses, as seen in its offsets.
                read(1, "(" + RowFilterChanges.EXIT_MARKER + " ((b) IS NOT TRUE))"),
                read(2, "((b) IS TRUE AND (a) IS NOT TRUE)"),
                read(3, null)));

    FilterExitDeletes.apply(records);

    Struct deleted = (Struct) records.get(0).value();
    assertThat(deleted.getString("op")).isEqualTo("d");
    assertThat(deleted.getStruct("before").getInt32("id")).isEqualTo(1);
    assertThat(deleted.get("after")).isNull();
    assertThat(deleted.getStruct("source").getString("table")).isEqualTo("products");
    assertThat(((Struct) records.get(0).key()).getInt32("id")).isEqualTo(1);
    assertThat(((Struct) records.get(1).value()).getString("op"))
        .as("an entering snapshot, though an exit one is queued after it")
        .isEqualTo("r");
    assertThat(((Struct) records.get(2).value()).getString("op")).isEqualTo("r");
  }
}
