package io.pgsearch.connect.transforms;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Recognises Debezium's placeholder for a value PostgreSQL did not send (an unchanged TOAST column
 * under REPLICA IDENTITY DEFAULT) and drops such fields from a document.
 *
 * <p>Debezium's PostgreSQL connector (UnchangedToastedPlaceholder) converts the configured
 * placeholder to the column's Connect type: the text for strings (text, varchar, json, xml...,
 * bytea in hex/base64 mode), its bytes for bytea, a one-element list of either for text and bytea
 * arrays, a list of the byte values for int and bigint arrays, a one-element list of the name-based
 * UUID of the bytes for uuid arrays, and a one-entry map (or its JSON text) for hstore. Every one
 * of these is matched here.
 */
final class UnavailableValues {
  /** Debezium's default for {@code unavailable.value.placeholder}. */
  static final String DEBEZIUM_DEFAULT = "__debezium_unavailable_value";

  private final String text;
  private final byte[] bytes;
  private final List<Integer> intList;
  private final List<Long> longList;
  private final List<String> textList;
  private final List<String> uuidList;
  private final Map<String, String> hstore;
  private final String hstoreJson;
  private final Cache<DroppedFields, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(64));

  UnavailableValues(String placeholder) {
    this.text = Objects.requireNonNull(placeholder);
    this.bytes = placeholder.getBytes(StandardCharsets.UTF_8);
    List<Integer> ints = new ArrayList<>(bytes.length);
    List<Long> longs = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      ints.add((int) b);
      longs.add((long) b);
    }
    this.intList = Collections.unmodifiableList(ints);
    this.longList = Collections.unmodifiableList(longs);
    this.textList = List.of(placeholder);
    this.uuidList = List.of(UUID.nameUUIDFromBytes(bytes).toString());
    this.hstore = Map.of(placeholder, placeholder);
    this.hstoreJson = "{\"" + placeholder + "\":\"" + placeholder + "\"}";
  }

  /** True when {@code value} is the placeholder in one of Debezium's representations. */
  boolean isPlaceholder(Object value) {
    if (value instanceof String string) {
      return string.equals(text) || string.equals(hstoreJson);
    }
    if (value instanceof byte[] array) {
      return Arrays.equals(array, bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.equals(ByteBuffer.wrap(bytes));
    }
    if (value instanceof List<?> list) {
      return isPlaceholderList(list);
    }
    if (value instanceof Map<?, ?> map) {
      return map.equals(hstore);
    }
    return false;
  }

  private boolean isPlaceholderList(List<?> list) {
    if (list.size() == 1) {
      Object only = list.get(0);
      return textList.equals(list)
          || uuidList.equals(list)
          || (only instanceof byte[] || only instanceof ByteBuffer) && isPlaceholder(only);
    }
    return list.size() == bytes.length && (intList.equals(list) || longList.equals(list));
  }

  /** The document without placeholder fields; the same instance when there is none. */
  Struct dropFrom(Struct document) {
    List<String> dropped = new ArrayList<>();
    for (Field field : document.schema().fields()) {
      if (isPlaceholder(StructValues.withoutDefault(document, field))) {
        dropped.add(field.name());
      }
    }
    if (dropped.isEmpty()) {
      return document;
    }
    DroppedFields key = new DroppedFields(document.schema(), dropped);
    Schema schema = schemas.get(key);
    if (schema == null) {
      schema = StructSchemas.copyWithout(document.schema(), dropped).build();
      schemas.put(key, schema);
    }
    Struct partial = new Struct(schema);
    for (Field field : schema.fields()) {
      partial.put(field.name(), document.getWithoutDefault(field.name()));
    }
    return partial;
  }

  /** The document without placeholder entries; the same instance when there is none. */
  Map<String, Object> dropFrom(Map<String, Object> document) {
    Map<String, Object> partial = null;
    for (Map.Entry<String, Object> entry : document.entrySet()) {
      if (isPlaceholder(entry.getValue())) {
        if (partial == null) {
          partial = new LinkedHashMap<>(document);
        }
        partial.remove(entry.getKey());
      }
    }
    return partial == null ? document : partial;
  }

  private record DroppedFields(Schema schema, List<String> names) {}
}
