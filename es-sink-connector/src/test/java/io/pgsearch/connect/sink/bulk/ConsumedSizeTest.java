package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.InternalSinkRecord;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The consumed size is read from the records Connect's runtime (the one we ship against) makes. */
class ConsumedSizeTest {
  private static final byte[] KEY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = new byte[4_321];

  @Test
  void aRecordFromTheRuntimeCountsItsConsumedKeyAndValueAfterTransforms() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("pgsearch.lsn", "12345".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> consumed = consumed(headers);
    SinkRecord converted = new SinkRecord("t", 0, null, "k", Schema.STRING_SCHEMA, "v", 7);
    SinkRecord record = new InternalSinkRecord(new ProcessingContext<>(consumed), converted);
    SinkRecord transformed =
        record.newRecord("t", 0, null, "k", Schema.STRING_SCHEMA, "doc", record.timestamp());

    long expected = KEY.length + VALUE.length; // headers are not counted
    assertThat(ConsumedSize.of(record)).isEqualTo(expected);
    assertThat(transformed.getClass().getName()).isEqualTo(ConsumedSize.INTERNAL_RECORD);
    assertThat(ConsumedSize.of(transformed))
        .as("a transform keeps the consumed record")
        .isEqualTo(expected);
  }

  @Test
  void aRecordMadeElsewhereOrNoneCountsNothingAlsoAfterARuntimeRecord() {
    SinkRecord runtime =
        new InternalSinkRecord(
            new ProcessingContext<>(consumed(new RecordHeaders())),
            new SinkRecord("t", 0, null, "k", null, "v", 7));
    assertThat(ConsumedSize.of(runtime)).isEqualTo(KEY.length + VALUE.length);
    assertThat(ConsumedSize.of(new SinkRecord("t", 0, null, "k", null, "v", 1))).isZero();
    assertThat(ConsumedSize.of((SinkRecord) null)).isZero();
  }

  @Test
  void anOperationHoldsItsRecordOnceAcrossIndexesAndATruncatesDeletesHoldNone() {
    SinkRecord record =
        new InternalSinkRecord(
            new ProcessingContext<>(consumed(new RecordHeaders())),
            new SinkRecord("t", 0, null, "k", null, "v", 7));
    RecordPosition position = new RecordPosition(BulkWriterTest.TP, 7);
    DocKey key = new DocKey("i", "1");
    SinkOperation index =
        new SinkOperation(SinkOperation.Kind.INDEX, key, new byte[100], 1L, record, position);
    assertThat(index.heldBytes()).isEqualTo(KEY.length + VALUE.length + index.sizeBytes());
    assertThat(index.inIndex("next").heldBytes()).isEqualTo(index.inIndex("next").sizeBytes());
    assertThat(SinkOperation.derivedDelete(key, 1L, record, position).heldBytes())
        .isEqualTo(SinkOperation.derivedDelete(key, 1L, record, position).sizeBytes());
  }

  /** A record as Connect's consumer hands it over: KEY and VALUE at offset 7 of t-0. */
  private static ConsumerRecord<byte[], byte[]> consumed(RecordHeaders headers) {
    return new ConsumerRecord<>(
        "t",
        0,
        7,
        0L,
        TimestampType.CREATE_TIME,
        KEY.length,
        VALUE.length,
        KEY,
        VALUE,
        headers,
        Optional.empty());
  }
}
