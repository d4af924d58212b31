package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Kafka's {@link JsonConverter} and {@link StreamingJsonConverter}, configured alike, side by side:
 * the same bytes written, the same Connect data read.
 */
final class Equivalence {
  static final String TOPIC = "shop.public.items";

  final JsonConverter kafka = new JsonConverter();
  final StreamingJsonConverter ours = new StreamingJsonConverter();
  final String settings;

  Equivalence(boolean isKey, Map<String, String> configs) {
    kafka.configure(configs, isKey);
    ours.configure(configs, isKey);
    settings = (isKey ? "key " : "value ") + configs;
  }

  static Equivalence of(boolean schemas, String decimalFormat, boolean replaceNull) {
    return new Equivalence(
        false,
        Map.of(
            "schemas.enable", String.valueOf(schemas),
            "decimal.format", decimalFormat,
            "replace.null.with.default", String.valueOf(replaceNull)));
  }

  /** Both write the same bytes; both read them back alike; returns the bytes. */
  byte[] roundTrip(Schema schema, Object value) {
    byte[] expected = kafka.fromConnectData(TOPIC, schema, value);
    byte[] actual = ours.fromConnectData(TOPIC, schema, value);
    assertThat(text(actual)).as("written with %s", settings).isEqualTo(text(expected));
    if (expected != null) {
      sameRead(expected);
    }
    return expected;
  }

  /** Both read {@code bytes} into equal schemas and values (byte arrays compared by content). */
  void sameRead(byte[] bytes) {
    SchemaAndValue expected = kafka.toConnectData(TOPIC, bytes);
    SchemaAndValue actual = ours.toConnectData(TOPIC, bytes);
    assertThat(schemaText(actual.schema()))
        .as("schema read with %s", settings)
        .isEqualTo(schemaText(expected.schema()));
    assertThat(comparable(actual.value()))
        .as("value read with %s from %s", settings, text(bytes))
        .isEqualTo(comparable(expected.value()));
    if (actual.schema() != null) {
      // What Struct.put would have checked, which the reader's structs skip
      // (StructValues.putChecked).
      ConnectSchema.validateValue(actual.schema(), actual.value());
    }
  }

  /**
   * A schema as Kafka's JSON: {@link Schema#equals} compares a default holding byte arrays in a
   * list by identity, so two equal reads would differ.
   */
  private String schemaText(Schema schema) {
    return schema == null ? null : kafka.asJsonSchema(schema).toString();
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * A value in a form whose equals compares everything that matters: classes of numbers and
   * containers, byte arrays by content, struct schemas by equality.
   */
  static Object comparable(Object value) {
    if (value instanceof byte[] bytes) {
      return ByteBuffer.wrap(bytes);
    }
    if (value instanceof Struct struct) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (Field field : struct.schema().fields()) {
        fields.put(field.name(), comparable(struct.getWithoutDefault(field.name())));
      }
      return List.of("Struct", String.valueOf(struct.schema().name()), fields);
    }
    if (value instanceof List<?> list) {
      List<Object> elements = new ArrayList<>();
      list.forEach(element -> elements.add(comparable(element)));
      return List.of(value.getClass().getName(), elements);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> entries = new HashMap<>();
      map.forEach((k, v) -> entries.put(comparable(k), comparable(v)));
      return List.of(value.getClass().getName(), entries);
    }
    if (value == null) {
      return "null";
    }
    return List.of(value.getClass().getName(), value);
  }
}
