package io.pgsearch.connect.transforms;

import io.debezium.data.Envelope;
import java.time.Instant;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Change events shaped like those of Debezium's PostgreSQL connector: its envelope (built with
 * Debezium's own {@link Envelope}) and its {@code io.debezium.connector.postgresql.Source} block.
 */
final class DebeziumEvents {
  static final String TOPIC = "shop.public.items";
  static final Instant COMMIT = Instant.parse("2026-05-04T10:11:12.345Z");

  static final Schema KEY =
      SchemaBuilder.struct().name("shop.public.items.Key").field("id", Schema.INT32_SCHEMA).build();

  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field(
              "snapshot",
              SchemaBuilder.string().optional().name("io.debezium.data.Enum").defaultValue("false"))
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
          .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private final Schema row;
  private final Envelope envelope;

  DebeziumEvents(Schema row) {
    this.row = row;
    this.envelope =
        Envelope.defineSchema()
            .withName("shop.public.items.Envelope")
            .withRecord(row)
            .withSource(SOURCE)
            .build();
  }

  Schema row() {
    return row;
  }

  Schema envelopeSchema() {
    return envelope.schema();
  }

  static Struct source(Long lsn, String snapshot) {
    return new Struct(SOURCE)
        .put("version", "3.7.0.Final")
        .put("connector", "postgresql")
        .put("name", "shop")
        .put("ts_ms", COMMIT.toEpochMilli())
        .put("snapshot", snapshot)
        .put("db", "shop")
        .put("sequence", "[\"100\"," + (lsn == null ? "null" : "\"" + lsn + "\"") + "]")
        .put("schema", "public")
        .put("table", "items")
        .put("txId", 777L)
        .put("lsn", lsn);
  }

  SourceRecord read(Struct after, long lsn) {
    return record(after, envelope.read(after, source(lsn, "true"), COMMIT));
  }

  SourceRecord create(Struct after, long lsn) {
    return record(after, envelope.create(after, source(lsn, "false"), COMMIT));
  }

  SourceRecord update(Struct before, Struct after, long lsn) {
    return record(after, envelope.update(before, after, source(lsn, "false"), COMMIT));
  }

  SourceRecord delete(Struct before, long lsn) {
    return record(before, envelope.delete(before, source(lsn, "false"), COMMIT));
  }

  SourceRecord truncate() {
    return new SourceRecord(
        null,
        null,
        TOPIC,
        0,
        null,
        null,
        envelope.schema(),
        envelope.truncate(source(50L, "false"), COMMIT));
  }

  SourceRecord record(Struct row, Struct value) {
    Struct key = new Struct(KEY).put("id", row.get("id"));
    return new SourceRecord(null, null, TOPIC, 0, KEY, key, envelope.schema(), value);
  }
}
