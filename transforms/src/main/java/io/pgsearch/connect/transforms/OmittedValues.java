package io.pgsearch.connect.transforms;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * Flags a document whose values the source connector left out because its row was too large for
 * Kafka ({@link PgsearchHeaders#OMITTED}): the field {@code <metadata.fields.prefix>omitted} lists
 * those columns, so a search (and the convergence checker) can tell them from real nulls.
 */
final class OmittedValues {
  private final String fieldName;
  private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(64));

  OmittedValues(String prefix) {
    this.fieldName = prefix + "omitted";
  }

  String fieldName() {
    return fieldName;
  }

  /** The columns named by the header, or null when there is none. */
  static List<String> columns(Headers headers) {
    Header header = headers.lastWithName(PgsearchHeaders.OMITTED);
    if (header == null || header.value() == null || header.value().toString().isBlank()) {
      return null;
    }
    return Arrays.stream(header.value().toString().split(",")).map(String::strip).toList();
  }

  Struct flag(Struct document, List<String> columns) {
    Schema schema = schemas.get(document.schema());
    if (schema == null) {
      schema = withFlag(document.schema());
      schemas.put(document.schema(), schema);
    }
    Struct flagged = new Struct(schema);
    for (Field field : document.schema().fields()) {
      flagged.put(field.name(), document.getWithoutDefault(field.name()));
    }
    return flagged.put(fieldName, columns);
  }

  Map<String, Object> flag(Map<String, Object> document, List<String> columns) {
    Map<String, Object> flagged = new LinkedHashMap<>(document);
    flagged.put(fieldName, columns);
    return flagged;
  }

  private Schema withFlag(Schema schema) {
    return StructSchemas.copyWithout(schema, List.of(fieldName))
        .field(fieldName, SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
        .build();
  }
}
