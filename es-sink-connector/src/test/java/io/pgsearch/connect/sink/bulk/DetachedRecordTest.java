package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.runtime.InternalSinkRecord;
import org.apache.kafka.connect.runtime.errors.ProcessingContext;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Records as Connect's runtime (the one we ship against) delivers them, after a transform. */
class DetachedRecordTest {
  private static final byte[] KEY = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = new byte[4_321];

  @Test
  void aRuntimeRecordIsKeptWithEveryFieldButNotAsConsumed() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("pgsearch.lsn", "12345");
    SinkRecord transformed =
        runtimeRecord()
            .newRecord(
                "renamed", 0, Schema.STRING_SCHEMA, "k", Schema.STRING_SCHEMA, "doc", 99L, headers);

    SinkRecord kept = DetachedRecord.of(transformed);

    assertThat(kept.getClass())
        .as("no reference to the consumed record")
        .isEqualTo(SinkRecord.class);
    assertThat(kept.topic()).isEqualTo("renamed");
    assertThat(kept.kafkaPartition()).isZero();
    assertThat(kept.kafkaOffset()).isEqualTo(7);
    assertThat(kept.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
    assertThat(kept.key()).isEqualTo("k");
    assertThat(kept.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
    assertThat(kept.value()).isEqualTo("doc");
    assertThat(kept.timestamp()).isEqualTo(99L);
    assertThat(kept.timestampType()).isEqualTo(transformed.timestampType());
    assertThat(kept.headers()).isSameAs(transformed.headers());
    assertThat(kept.originalTopic()).isEqualTo("t");
    assertThat(kept.originalKafkaPartition()).isZero();
    assertThat(kept.originalKafkaOffset()).isEqualTo(7);
    assertThat(RecordPosition.of(kept)).isEqualTo(RecordPosition.of(transformed));
  }

  @Test
  void aPlainRecordOrNoneIsKeptAsItIs() {
    SinkRecord plain = new SinkRecord("t", 0, null, "k", null, "v", 1);
    assertThat(DetachedRecord.of(plain)).isSameAs(plain);
    assertThat(DetachedRecord.of(null)).isNull();
  }

  @Test
  void anOperationHoldsItsRecordOnceAcrossIndexesAndATruncatesDeletesHoldNone() {
    RecordPosition position = new RecordPosition(BulkWriterTest.TP, 7);
    DocKey key = new DocKey("i", "1");
    SinkOperation index =
        new SinkOperation(
            SinkOperation.Kind.INDEX, key, new byte[100], 1L, runtimeRecord(), position);

    assertThat(index.record().getClass()).isEqualTo(SinkRecord.class);
    assertThat(index.heldBytes())
        .as("the document, and the record it renders")
        .isEqualTo(100 + index.sizeBytes());
    assertThat(index.inIndex("next").heldBytes()).isEqualTo(index.inIndex("next").sizeBytes());
    assertThat(SinkOperation.derivedDelete(key, 1L, runtimeRecord(), position).heldBytes())
        .isEqualTo(SinkOperation.derivedDelete(key, 1L, runtimeRecord(), position).sizeBytes());
  }

  /** A record as Connect's consumer hands it over: KEY and VALUE at offset 7 of t-0. */
  private static SinkRecord runtimeRecord() {
    ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(
            "t",
            0,
            7,
            0L,
            TimestampType.CREATE_TIME,
            KEY.length,
            VALUE.length,
            KEY,
            VALUE,
            new RecordHeaders(),
            Optional.empty());
    return new InternalSinkRecord(
        new ProcessingContext<>(consumed), new SinkRecord("t", 0, null, "k", null, "v", 7));
  }
}
