package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class GenerationStampTest {
  private static final ServerIdentity SERVER = new ServerIdentity("7301", 2, 10);
  private static final Map<String, String> PARTITION = Map.of("server", "shop");
  private static final List<TableName> TABLES =
      List.of(new TableName("public", "items"), new TableName("crm", "customers"));

  private static SourceRecord record(Map<String, ?> offset) {
    return new SourceRecord(
        PARTITION, offset, "shop.public.items", null, Schema.STRING_SCHEMA, "v");
  }

  private static Map<String, Object> snapshotRow(boolean last) {
    return Map.of("lsn", 5L, "snapshot", "INITIAL", "last_snapshot_record", last);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> offset(SourceRecord record) {
    return (Map<String, Object>) record.sourceOffset();
  }

  @Test
  void generationZeroOnlyAddsItsKeysToTheOffsets() {
    GenerationStamp stamp =
        new GenerationStamp(new Generations.State(0, SERVER, false, false), "shop", TABLES);
    List<SourceRecord> records = new ArrayList<>(List.of(record(Map.of("lsn", 7L))));

    stamp.apply(records);

    assertThat(records).hasSize(1);
    assertThat(records.get(0).headers().lastWithName(PgsearchHeaders.GENERATION)).isNull();
    assertThat(offset(records.get(0)))
        .containsEntry("lsn", 7L)
        .containsEntry(Generations.GENERATION, 0L)
        .containsEntry(Generations.SYSTEM_IDENTIFIER, "7301")
        .containsEntry(Generations.TIMELINE, 2L)
        .containsEntry(Generations.SWEEP_PENDING, false);
  }

  @Test
  void aNewGenerationTruncatesEveryTableOnceItsSnapshotIsComplete() {
    GenerationStamp stamp =
        new GenerationStamp(new Generations.State(3, SERVER, true, true), "shop", TABLES);
    List<SourceRecord> records =
        new ArrayList<>(List.of(record(snapshotRow(false)), record(snapshotRow(true))));

    stamp.apply(records);

    assertThat(records).hasSize(4);
    assertThat(offset(records.get(0))).containsEntry(Generations.SWEEP_PENDING, true);
    assertThat(records.get(0).headers().lastWithName(PgsearchHeaders.GENERATION).value())
        .isEqualTo(3L);
    assertThat(offset(records.get(1))).containsEntry(Generations.SWEEP_PENDING, false);
    SourceRecord truncate = records.get(2);
    assertThat(truncate.topic()).isEqualTo("shop.public.items");
    assertThat(records.get(3).topic()).isEqualTo("shop.crm.customers");
    assertThat(truncate.key()).isNull();
    assertThat(truncate.valueSchema()).isNull();
    assertThat(((Map<?, ?>) truncate.value()).get("op")).isEqualTo("t");
    assertThat(truncate.headers().lastWithName(PgsearchHeaders.GENERATION).value()).isEqualTo(3L);
    assertThat(offset(truncate)).containsEntry(Generations.SWEEP_PENDING, false);

    List<SourceRecord> later = new ArrayList<>(List.of(record(Map.of("lsn", 9L))));
    stamp.apply(later);
    assertThat(later).as("once").hasSize(1);
  }

  @Test
  void aPendingSweepAfterARestartIsDoneAtTheFirstStreamedRecord() {
    GenerationStamp stamp =
        new GenerationStamp(new Generations.State(1, SERVER, false, true), "shop", TABLES);
    List<SourceRecord> records = new ArrayList<>(List.of(record(Map.of("lsn", 9L))));

    stamp.apply(records);

    assertThat(records).hasSize(3);
  }
}
