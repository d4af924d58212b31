package io.pgsearch.connect.converters;

import io.debezium.data.Bits;
import io.debezium.data.Envelope;
import io.debezium.data.Json;
import io.debezium.data.Uuid;
import io.debezium.data.VariableScaleDecimal;
import io.debezium.time.MicroTime;
import io.debezium.time.MicroTimestamp;
import io.debezium.time.ZonedTimestamp;
import io.pgsearch.connect.transforms.ChangeEventToDocument;
import io.pgsearch.connect.transforms.ElasticsearchValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Change events as Debezium's PostgreSQL connector emits them (its {@link Envelope}, its logical
 * types, optional columns, columns with a DEFAULT, nulls), and the documents the pgsearch
 * transforms make of them.
 */
final class ChangeEventCorpus {
  static final Instant COMMIT = Instant.parse("2026-05-04T10:11:12.345Z");

  static final Schema KEY =
      SchemaBuilder.struct()
          .name("shop.public.items.Key")
          .field("id", Schema.INT64_SCHEMA)
          .field("region", Schema.STRING_SCHEMA)
          .build();

  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field(
              "snapshot",
              SchemaBuilder.string()
                  .optional()
                  .name("io.debezium.data.Enum")
                  .version(1)
                  .parameter("allowed", "true,first,first_in_data_collection,last,false")
                  .defaultValue("false")
                  .build())
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  static final Schema DIMENSIONS =
      SchemaBuilder.struct()
          .name("shop.public.dimensions")
          .optional()
          .field("w", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("h", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .build();

  static final Schema ROW =
      SchemaBuilder.struct()
          .name("shop.public.items.Value")
          .optional()
          .field("id", Schema.INT64_SCHEMA)
          .field("region", Schema.STRING_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field(
              "price", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional())
          .field("quantity", SchemaBuilder.int32().defaultValue(0).build())
          .field("in_stock", SchemaBuilder.bool().optional().defaultValue(true).build())
          .field("rating", Schema.OPTIONAL_FLOAT32_SCHEMA)
          .field("weight", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("small", Schema.OPTIONAL_INT16_SCHEMA)
          .field("tiny", Schema.OPTIONAL_INT8_SCHEMA)
          .field("created", MicroTimestamp.builder().optional().build())
          .field("updated", ZonedTimestamp.builder().optional().build())
          .field("day", io.debezium.time.Date.builder().optional().build())
          .field("at", MicroTime.builder().optional().build())
          .field("connect_day", Date.builder().optional().build())
          .field("connect_time", Time.builder().optional().build())
          .field("connect_ts", Timestamp.builder().optional().build())
          .field("amount", VariableScaleDecimal.builder().optional().build())
          .field("attrs", Json.builder().optional().build())
          .field("uid", Uuid.builder().optional().build())
          .field("flags", Bits.builder(3).optional().build())
          .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
          .field(
              "matrix",
              SchemaBuilder.array(SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).build())
                  .optional()
                  .build())
          .field("labels", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional())
          .field(
              "by_code",
              SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                  .optional()
                  .build())
          .field("dimensions", DIMENSIONS)
          .field(
              "status",
              SchemaBuilder.string()
                  .name("io.debezium.data.Enum")
                  .version(1)
                  .parameter("allowed", "new,sold")
                  .defaultValue("new")
                  .optional()
                  .build())
          .build();

  static final Envelope ENVELOPE =
      Envelope.defineSchema()
          .withName("shop.public.items.Envelope")
          .withRecord(ROW)
          .withSource(SOURCE)
          .build();

  private ChangeEventCorpus() {}

  /** Rows from the full one to the empty one, with the values that are hard to get right. */
  static List<Struct> rows() {
    List<Struct> rows = new ArrayList<>();
    rows.add(full(1, "Tea \"Earl Grey\" – 250 g \u00e9\u4e2d\ud83d\ude00\n\t\\/"));
    rows.add(full(2, "").put("price", new BigDecimal("-0.01")).put("weight", -0.0));
    rows.add(
        full(3, "big")
            .put("price", new BigDecimal("9999999999.99"))
            .put("weight", 1.0e-300)
            .put("rating", Float.MIN_VALUE)
            .put("small", Short.MIN_VALUE)
            .put("tiny", Byte.MAX_VALUE)
            .put("created", Long.MIN_VALUE)
            .put(
                "amount",
                VariableScaleDecimal.fromLogical(
                    VariableScaleDecimal.builder().optional().build(),
                    new BigDecimal("-123456789012345678901234567890.123456789"))));
    // Every nullable column NULL, those with a DEFAULT too; quantity is NOT NULL DEFAULT 0.
    rows.add(new Struct(ROW).put("id", 4L).put("region", "eu").put("quantity", 0));
    rows.add(full(5, "x").put("tags", List.of()).put("labels", Map.of()).put("matrix", List.of()));
    return rows;
  }

  private static Struct full(long id, String name) {
    Map<String, Long> labels = new LinkedHashMap<>();
    labels.put("a", 1L);
    labels.put("\u00fc b", Long.MAX_VALUE);
    Map<Integer, String> byCode = new LinkedHashMap<>();
    byCode.put(7, "seven");
    byCode.put(-1, null);
    List<List<Integer>> matrix = new ArrayList<>();
    matrix.add(List.of(1, 2));
    List<Integer> withNull = new ArrayList<>();
    withNull.add(null);
    withNull.add(Integer.MIN_VALUE);
    matrix.add(withNull);
    return new Struct(ROW)
        .put("id", id)
        .put("region", "eu-west")
        .put("name", name)
        .put("price", new BigDecimal("12.50"))
        .put("quantity", 3)
        .put("in_stock", false)
        .put("rating", 4.25f)
        .put("weight", 0.1 + 0.2)
        .put("small", (short) 12)
        .put("tiny", (byte) -3)
        .put("created", 1_777_000_000_123_456L)
        .put("updated", "2026-05-04T10:11:12.345678Z")
        .put("day", 20_000)
        .put("at", 45_296_789_012L)
        .put("connect_day", Date.toLogical(Date.SCHEMA, 20_000))
        .put("connect_time", Time.toLogical(Time.SCHEMA, 45_296_789))
        .put("connect_ts", Timestamp.toLogical(Timestamp.SCHEMA, 1_777_000_000_123L))
        .put(
            "amount",
            VariableScaleDecimal.fromLogical(
                VariableScaleDecimal.builder().optional().build(), new BigDecimal("3.14159")))
        .put("attrs", "{\"color\": \"red\", \"sizes\": [1, 2.5, null]}")
        .put("uid", "0e3b1f6a-8a0e-4b8e-9a3c-1d2e3f4a5b6c")
        .put("flags", new byte[] {5})
        .put("blob", new byte[] {0, -1, 127, -128, 10})
        .put("tags", List.of("a", "b c", ""))
        .put("matrix", matrix)
        .put("labels", labels)
        .put("by_code", byCode)
        .put("dimensions", new Struct(DIMENSIONS).put("w", 1.5).put("h", null))
        .put("status", "sold");
  }

  static Struct source(long lsn, String snapshot) {
    return new Struct(SOURCE)
        .put("version", "3.7.0.Final")
        .put("connector", "postgresql")
        .put("name", "shop")
        .put("ts_ms", COMMIT.toEpochMilli())
        .put("snapshot", snapshot)
        .put("db", "shop")
        .put("sequence", "[\"100\",\"" + lsn + "\"]")
        .put("schema", "public")
        .put("table", "items")
        .put("txId", 777L)
        .put("lsn", lsn);
  }

  /** Snapshot reads, inserts, updates, deletes and a tombstone of every row. */
  static List<SourceRecord> changeEvents() {
    List<SourceRecord> records = new ArrayList<>();
    long lsn = 1000;
    Struct previous = null;
    for (Struct row : rows()) {
      records.add(record(row, ENVELOPE.read(row, source(lsn++, "true"), COMMIT)));
      records.add(record(row, ENVELOPE.create(row, source(lsn++, "false"), COMMIT)));
      if (previous != null) {
        records.add(record(row, ENVELOPE.update(previous, row, source(lsn++, "false"), COMMIT)));
      }
      records.add(record(row, ENVELOPE.delete(row, source(lsn++, "false"), COMMIT)));
      records.add(tombstone(row));
      previous = row;
    }
    return records;
  }

  /** The change events as documents, through the transforms as the shipped configs run them. */
  static List<SourceRecord> documents(String decimalFormat) {
    ChangeEventToDocument<SourceRecord> document = new ChangeEventToDocument<>();
    document.configure(Map.of());
    ElasticsearchValues.Value<SourceRecord> values = new ElasticsearchValues.Value<>();
    values.configure(Map.of(ElasticsearchValues.DECIMAL_FORMAT_CONFIG, decimalFormat));
    List<SourceRecord> documents = new ArrayList<>();
    for (SourceRecord event : changeEvents()) {
      SourceRecord out = document.apply(event);
      if (out != null) {
        documents.add(values.apply(out));
      }
    }
    document.close();
    values.close();
    return documents;
  }

  private static SourceRecord record(Struct row, Struct value) {
    return new SourceRecord(
        null, null, "shop.public.items", 0, KEY, key(row), ENVELOPE.schema(), value);
  }

  private static SourceRecord tombstone(Struct row) {
    return new SourceRecord(null, null, "shop.public.items", 0, KEY, key(row), null, null);
  }

  private static Struct key(Struct row) {
    return new Struct(KEY).put("id", row.get("id")).put("region", row.get("region"));
  }
}
