package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeEventToDocumentTest {
  private static final String PLACEHOLDER = "__debezium_unavailable_value";
  private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.UTF_8);

  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("shop.public.items.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("name", SchemaBuilder.string().optional().defaultValue("unnamed").build())
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .field("data", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field("blobs", SchemaBuilder.array(Schema.OPTIONAL_BYTES_SCHEMA).optional().build())
          .field("counts", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
          .field("bigs", SchemaBuilder.array(Schema.OPTIONAL_INT64_SCHEMA).optional().build())
          .field("ids", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field(
              "attrs",
              SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                  .optional()
                  .build())
          .field("attrs_json", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  private final DebeziumEvents events = new DebeziumEvents(ROW);
  private final ChangeEventToDocument<SourceRecord> transform = new ChangeEventToDocument<>();

  @AfterEach
  void close() {
    transform.close();
  }

  private static Struct row(int id, String name) {
    return new Struct(ROW).put("id", id).put("name", name).put("body", "text of " + id);
  }

  /** A row too large for Kafka: the source left values out and said so in a header. */
  @Test
  void valuesTheSourceLeftOutAreListedInTheDocument() {
    transform.configure(Map.of());
    SourceRecord event = events.create(new Struct(ROW).put("id", 5).put("name", "big"), 99L);
    event.headers().addString(PgsearchHeaders.OMITTED, "body,data");

    SourceRecord out = transform.apply(event);

    Struct document = (Struct) out.value();
    assertThat(document.getString("name")).isEqualTo("big");
    assertThat(document.get("body")).isNull();
    assertThat(document.getArray("__omitted")).containsExactly("body", "data");
    assertThat(out.headers().lastWithName(PgsearchHeaders.OMITTED)).isNotNull();
    SourceRecord plain = transform.apply(events.create(row(6, "small"), 100L));
    assertThat(((Struct) plain.value()).schema().field("__omitted")).isNull();
  }

  @Test
  void createBecomesTheAfterImageWithTheMetadataHeaders() {
    transform.configure(Map.of());

    SourceRecord out = transform.apply(events.create(row(1, "one"), 1234L));

    Struct document = (Struct) out.value();
    assertThat(document.schema()).isEqualTo(ROW);
    assertThat(document.getString("name")).isEqualTo("one");
    assertThat(((Struct) out.key()).getInt32("id")).isEqualTo(1);
    assertThat(out.topic()).isEqualTo(DebeziumEvents.TOPIC);
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 1234L + 1);
    assertHeader(out, PgsearchHeaders.OP, Schema.Type.STRING, "c");
    assertHeader(out, PgsearchHeaders.SCHEMA, Schema.Type.STRING, "public");
    assertHeader(out, PgsearchHeaders.TABLE, Schema.Type.STRING, "items");
    assertHeader(
        out, PgsearchHeaders.COMMIT_TS, Schema.Type.INT64, DebeziumEvents.COMMIT.toEpochMilli());
    assertThat(out.headers().lastWithName(PgsearchHeaders.PARTIAL)).isNull();
  }

  @Test
  void snapshotReadAndUpdateCarryTheirOperation() {
    transform.configure(Map.of());

    SourceRecord read = transform.apply(events.read(row(1, "one"), 10L));
    SourceRecord update = transform.apply(events.update(row(1, "one"), row(1, "uno"), 20L));

    assertHeader(read, PgsearchHeaders.OP, Schema.Type.STRING, "r");
    assertHeader(read, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 10L);
    assertHeader(update, PgsearchHeaders.OP, Schema.Type.STRING, "u");
    assertThat(((Struct) update.value()).getString("name")).isEqualTo("uno");
  }

  @Test
  void aStreamedChangeAtTheSnapshotLsnGetsTheGreaterVersion() {
    transform.configure(Map.of());

    SourceRecord read = transform.apply(events.read(row(1, "one"), 4000L));
    SourceRecord update = transform.apply(events.update(row(1, "one"), row(1, "uno"), 4000L));
    SourceRecord later = transform.apply(events.update(row(1, "uno"), row(1, "eins"), 4001L));

    long readVersion = (Long) read.headers().lastWithName(PgsearchHeaders.LSN).value();
    long updateVersion = (Long) update.headers().lastWithName(PgsearchHeaders.LSN).value();
    long laterVersion = (Long) later.headers().lastWithName(PgsearchHeaders.LSN).value();
    assertThat(readVersion).isLessThan(updateVersion);
    assertThat(updateVersion).isLessThan(laterVersion);
  }

  /** After a restore the source stamps a generation: it goes above every LSN of the past. */
  @Test
  void theGenerationHeaderBecomesTheVersionsHighBits() {
    transform.configure(Map.of());
    SourceRecord event = events.create(row(1, "one"), 40L);
    event.headers().addLong(PgsearchHeaders.GENERATION, 2L);

    SourceRecord out = transform.apply(event);

    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, (2L << 56) | (2 * 40L + 1));
    SourceRecord text = events.create(row(1, "one"), 40L);
    text.headers().addString(PgsearchHeaders.GENERATION, "2"); // as a header converter reads it
    assertHeader(transform.apply(text), PgsearchHeaders.LSN, Schema.Type.INT64, (2L << 56) | 81L);
  }

  @Test
  void anLsnTooLargeForTheVersionIsAClearError() {
    transform.configure(Map.of());

    assertThatThrownBy(() -> transform.apply(events.create(row(1, "one"), Long.MAX_VALUE / 2 + 1)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining(PgsearchHeaders.LSN);
  }

  @Test
  void deleteBecomesATombstoneWithTheSameKeyAndHeaders() {
    transform.configure(Map.of());

    SourceRecord out = transform.apply(events.delete(row(7, "seven"), 99L));

    assertThat(out.value()).isNull();
    assertThat(out.valueSchema()).isNull();
    assertThat(out.keySchema()).isEqualTo(DebeziumEvents.KEY);
    assertThat(((Struct) out.key()).getInt32("id")).isEqualTo(7);
    assertHeader(out, PgsearchHeaders.OP, Schema.Type.STRING, "d");
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 99L + 1);
    assertHeader(out, PgsearchHeaders.TABLE, Schema.Type.STRING, "items");
  }

  @Test
  void debeziumsOwnTombstoneIsDroppedByDefaultButAVersionedOnePasses() {
    transform.configure(Map.of());
    Struct key = new Struct(DebeziumEvents.KEY).put("id", 7);
    SourceRecord bare =
        new SourceRecord(null, null, DebeziumEvents.TOPIC, 0, DebeziumEvents.KEY, key, null, null);
    assertThat(transform.apply(bare)).isNull();

    SourceRecord ours = transform.apply(events.delete(row(7, "x"), 99L));
    assertThat(ours.value()).isNull();
    assertThat(transform.apply(ours)).isSameAs(ours);
  }

  @Test
  void debeziumsOwnTombstonePassesWhenAskedTo() {
    transform.configure(Map.of(ChangeEventToDocument.DROP_TOMBSTONES_CONFIG, "false"));
    Struct key = new Struct(DebeziumEvents.KEY).put("id", 7);
    SourceRecord tombstone =
        new SourceRecord(null, null, DebeziumEvents.TOPIC, 0, DebeziumEvents.KEY, key, null, null);

    assertThat(transform.apply(tombstone)).isSameAs(tombstone);
  }

  @Test
  void aNullColumnStaysNullEvenWhenTheColumnHasADefault() {
    transform.configure(Map.of());

    SourceRecord out = transform.apply(events.create(row(1, null), 5L));

    assertThat(((Struct) out.value()).getWithoutDefault("name")).isNull();
  }

  static Stream<Arguments> placeholders() {
    List<Integer> ints = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    for (byte b : PLACEHOLDER_BYTES) {
      ints.add((int) b);
      longs.add((long) b);
    }
    return Stream.of(
        Arguments.of("body", PLACEHOLDER),
        Arguments.of("data", PLACEHOLDER_BYTES),
        Arguments.of("tags", List.of(PLACEHOLDER)),
        Arguments.of("blobs", List.of(PLACEHOLDER_BYTES)),
        Arguments.of("counts", ints),
        Arguments.of("bigs", longs),
        Arguments.of("ids", List.of(UUID.nameUUIDFromBytes(PLACEHOLDER_BYTES).toString())),
        Arguments.of("attrs", Map.of(PLACEHOLDER, PLACEHOLDER)),
        Arguments.of("attrs_json", "{\"" + PLACEHOLDER + "\":\"" + PLACEHOLDER + "\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placeholders")
  void anUnavailableValueIsDroppedAndTheRecordMarkedPartial(String field, Object placeholder) {
    transform.configure(Map.of());
    Struct after = row(3, "three").put(field, placeholder);

    SourceRecord out = transform.apply(events.update(row(3, "three"), after, 30L));

    Struct document = (Struct) out.value();
    assertThat(document.schema().field(field)).isNull();
    assertThat(document.getString("name")).isEqualTo("three");
    assertThat(document.schema().fields()).hasSize(ROW.fields().size() - 1);
    assertHeader(out, PgsearchHeaders.PARTIAL, Schema.Type.BOOLEAN, true);
    assertHeader(out, PgsearchHeaders.OP, Schema.Type.STRING, "u");
  }

  @Test
  void valuesThatOnlyResembleThePlaceholderAreKept() {
    transform.configure(Map.of());
    Struct after =
        row(3, PLACEHOLDER + " ")
            .put("tags", List.of(PLACEHOLDER, "other"))
            .put("counts", List.of(95, 95));

    Struct document = (Struct) transform.apply(events.update(after, after, 30L)).value();

    assertThat(document.schema()).isEqualTo(ROW);
    assertThat(document.getArray("tags")).containsExactly(PLACEHOLDER, "other");
  }

  @Test
  void theDerivedPartialSchemaIsCached() {
    transform.configure(Map.of());
    Struct first = row(1, "a").put("body", PLACEHOLDER);
    Struct second = row(2, "b").put("body", PLACEHOLDER);

    Schema a = transform.apply(events.update(first, first, 1L)).valueSchema();
    Schema b = transform.apply(events.update(second, second, 2L)).valueSchema();

    assertThat(b).isSameAs(a);
  }

  @Test
  void theplaceholderIsConfigurable() {
    transform.configure(Map.of(ChangeEventToDocument.PLACEHOLDER_CONFIG, "~unchanged~"));
    Struct after = row(3, "three").put("body", "~unchanged~").put("tags", List.of(PLACEHOLDER));

    Struct document = (Struct) transform.apply(events.update(after, after, 30L)).value();

    assertThat(document.schema().field("body")).isNull();
    assertThat(document.getArray("tags")).containsExactly(PLACEHOLDER);
  }

  @Test
  void chosenMetadataBecomesFields() {
    transform.configure(
        Map.of(ChangeEventToDocument.METADATA_FIELDS_CONFIG, "op,source.lsn:lsn,source.table"));

    Struct document = (Struct) transform.apply(events.create(row(1, "one"), 1234L)).value();

    assertThat(document.getString("__op")).isEqualTo("c");
    assertThat(document.getInt64("__lsn")).isEqualTo(1234L);
    assertThat(document.getString("__source_table")).isEqualTo("items");
  }

  @Test
  void anIncrementalSnapshotRowTakesItsPositionFromTheSequence() {
    transform.configure(Map.of());
    Struct envelope = events.read(row(1, "one"), 1L).value() instanceof Struct s ? s : null;
    envelope.getStruct("source").put("lsn", null).put("sequence", "[\"500\",\"640\"]");

    SourceRecord out = transform.apply(events.record(row(1, "one"), envelope));

    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 640L);
  }

  @Test
  void recordsThatAreNotChangeEventsPassByDefault() {
    transform.configure(Map.of());
    SourceRecord heartbeat = heartbeat();

    assertThat(transform.apply(heartbeat)).isSameAs(heartbeat);
  }

  @Test
  void recordsThatAreNotChangeEventsCanBeDropped() {
    transform.configure(Map.of(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG, "DROP"));

    assertThat(transform.apply(heartbeat())).isNull();
  }

  @Test
  void recordsThatAreNotChangeEventsCanFailWithAClearError() {
    transform.configure(Map.of(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG, "fail"));
    SinkRecord record =
        new SinkRecord("orders", 2, null, null, Schema.STRING_SCHEMA, "not an event", 41L);
    ChangeEventToDocument<SinkRecord> sinkSide = new ChangeEventToDocument<>();
    sinkSide.configure(Map.of(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG, "fail"));

    assertThatThrownBy(() -> sinkSide.apply(record))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("ChangeEventToDocument")
        .hasMessageContaining("topic 'orders' partition 2 offset 41")
        .hasMessageContaining(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG)
        .hasMessageNotContaining("not an event");
  }

  /** Whatever the policy for other records: a truncate is a change the sink must apply. */
  @ParameterizedTest
  @ValueSource(strings = {"pass", "drop", "fail"})
  void aTruncateBecomesAKeylessValuelessRecordWithItsVersion(String policy) {
    transform.configure(Map.of(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG, policy));

    SourceRecord out = transform.apply(events.truncate());

    assertThat(out.key()).isNull();
    assertThat(out.keySchema()).isNull();
    assertThat(out.value()).isNull();
    assertThat(out.valueSchema()).isNull();
    assertThat(out.topic()).isEqualTo(DebeziumEvents.TOPIC);
    assertHeader(out, PgsearchHeaders.OP, Schema.Type.STRING, PgsearchHeaders.TRUNCATE_OP);
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 50L + 1);
    assertHeader(out, PgsearchHeaders.TABLE, Schema.Type.STRING, "items");
    assertThat(transform.apply(out)).as("applied twice").isNotNull();
  }

  @Test
  void aSchemalessTruncateBecomesAKeylessValuelessRecord() {
    transform.configure(Map.of());
    Map<String, Object> source = new HashMap<>();
    source.put("lsn", 60);
    source.put("schema", "public");
    source.put("table", "items");
    Map<String, Object> envelope = new HashMap<>();
    envelope.put("op", "t");
    envelope.put("before", null);
    envelope.put("after", null);
    envelope.put("source", source);

    SourceRecord out = transform.apply(schemaless(envelope));

    assertThat(out.key()).isNull();
    assertThat(out.value()).isNull();
    assertHeader(out, PgsearchHeaders.OP, Schema.Type.STRING, "t");
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 60L + 1);
  }

  @Test
  void schemalessEnvelopesBecomeSchemalessDocuments() {
    transform.configure(Map.of(ChangeEventToDocument.METADATA_FIELDS_CONFIG, "source.lsn:lsn"));
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("id", 5);
    after.put("body", PLACEHOLDER);
    after.put("name", "five");
    Map<String, Object> source = new HashMap<>();
    source.put("lsn", 77);
    source.put("schema", "public");
    source.put("table", "items");
    source.put("ts_ms", 1000L);
    Map<String, Object> envelope = new HashMap<>();
    envelope.put("op", "u");
    envelope.put("before", null);
    envelope.put("after", after);
    envelope.put("source", source);

    SourceRecord out = transform.apply(schemaless(envelope));

    assertThat(out.valueSchema()).isNull();
    assertThat(out.value()).isEqualTo(Map.of("id", 5, "name", "five", "__lsn", 77));
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 77L + 1);
    assertHeader(out, PgsearchHeaders.PARTIAL, Schema.Type.BOOLEAN, true);
    assertHeader(out, PgsearchHeaders.COMMIT_TS, Schema.Type.INT64, 1000L);

    envelope.put("op", "d");
    envelope.put("before", after);
    envelope.put("after", null);
    SourceRecord deleted = transform.apply(schemaless(envelope));
    assertThat(deleted.value()).isNull();
    assertThat(deleted.key()).isEqualTo(Map.of("id", 5));
    assertHeader(deleted, PgsearchHeaders.OP, Schema.Type.STRING, "d");
  }

  @Test
  void schemalessValuesThatAreNotEnvelopesFollowThePolicy() {
    transform.configure(Map.of(ChangeEventToDocument.NON_CHANGE_EVENT_CONFIG, "fail"));

    assertThatThrownBy(() -> transform.apply(schemaless(Map.of("ts_ms", 1))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("not a Debezium envelope");
  }

  @Test
  void applyingTwiceKeepsOneHeaderOfEachName() {
    transform.configure(Map.of());
    SourceRecord once = transform.apply(events.create(row(1, "one"), 1L));
    SourceRecord event = events.create(row(1, "one"), 2L);
    once.headers().forEach(h -> event.headers().add(h));

    SourceRecord out = transform.apply(event);

    assertThat(out.headers().allWithName(PgsearchHeaders.LSN)).toIterable().hasSize(1);
    assertHeader(out, PgsearchHeaders.LSN, Schema.Type.INT64, 2 * 2L + 1);
  }

  private static SourceRecord schemaless(Map<String, Object> value) {
    return new SourceRecord(
        null, null, DebeziumEvents.TOPIC, 0, null, Map.of("id", 5), null, value);
  }

  private static SourceRecord heartbeat() {
    Schema schema =
        SchemaBuilder.struct()
            .name("io.debezium.connector.common.Heartbeat")
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    return new SourceRecord(
        null,
        null,
        "__debezium-heartbeat.shop",
        0,
        null,
        null,
        schema,
        new Struct(schema).put("ts_ms", 1L));
  }

  private static void assertHeader(
      SourceRecord record, String name, Schema.Type type, Object value) {
    Header header = record.headers().lastWithName(name);
    assertThat(header).as(name).isNotNull();
    assertThat(header.schema().type()).as(name).isEqualTo(type);
    assertThat(header.value()).as(name).isEqualTo(value);
  }
}
