package io.pgsearch.connect.source;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** Debezium change event envelopes of one row schema, for unit tests of what edits them. */
final class ChangeEvents {
  static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();

  final Schema row;
  final Schema envelope;

  ChangeEvents(Schema row) {
    this.row = row;
    this.envelope =
        SchemaBuilder.struct()
            .name("shop.public.products.Envelope")
            .field("before", row)
            .field("after", row)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();
  }

  /** An update event of {@code after} in public.products. */
  Struct update(Struct after) {
    Struct source = new Struct(SOURCE).put("schema", "public").put("table", "products");
    return new Struct(envelope).put("after", after).put("source", source).put("op", "u");
  }
}
