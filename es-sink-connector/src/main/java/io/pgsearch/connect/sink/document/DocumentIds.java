package io.pgsearch.connect.sink.document;

import io.pgsearch.connect.transforms.StructValues;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a record key into a document {@code _id}.
 *
 * <ul>
 *   <li>A primitive key is its value as text ({@code 42}, {@code "abc"}).
 *   <li>A Struct or Map key with one field (a single-column primary key, as Debezium emits) is that
 *       field's value: {@code {"id": 42}} gives {@code 42}.
 *   <li>A key with several fields (a composite primary key) joins the values in field order with
 *       {@code |}; inside a value {@code \} is written {@code \\} and {@code |} is written {@code
 *       \|}, and a null value is {@code \0}. So distinct keys always give distinct ids: {@code
 *       ("a|b", "c")} is {@code a\|b|c} and {@code ("a", "b|c")} is {@code a|b\|c}.
 *   <li>An id longer than Elasticsearch's limit of 512 bytes is replaced by {@code sha256:} and the
 *       hex SHA-256 of the full id.
 * </ul>
 */
public final class DocumentIds {
  /** Elasticsearch rejects a longer {@code _id}. */
  static final int MAX_ID_BYTES = 512;

  private DocumentIds() {}

  /** The document id of a record key; a null key or a null single value is an error. */
  public static String fromKey(Object key) {
    if (key == null) {
      throw new DocumentException(
          "the record has no key, so it has no document id: give the topic's records a key"
              + " (the row's primary key) or set key.ignore=true");
    }
    List<Object> values = values(key);
    String id;
    if (values.size() == 1) {
      Object single = values.get(0);
      if (single == null) {
        throw new DocumentException(
            "the record key's only field is null, so it has no document id");
      }
      id = text(single);
    } else {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          joined.append('|');
        }
        Object value = values.get(i);
        joined.append(value == null ? "\\0" : escape(text(value)));
      }
      id = joined.toString();
    }
    if (id.isEmpty()) {
      throw new DocumentException(
          "the record key is empty, and an empty document id is not allowed");
    }
    return limit(id);
  }

  /** The id of a record without a usable key: its original topic, partition and offset. */
  public static String fromCoordinates(String topic, int partition, long offset) {
    return limit(topic + "+" + partition + "+" + offset);
  }

  private static List<Object> values(Object key) {
    List<Object> values = new ArrayList<>();
    if (key instanceof Struct struct) {
      for (Field field : struct.schema().fields()) {
        values.add(StructValues.withoutDefault(struct, field));
      }
    } else if (key instanceof Map<?, ?> map) {
      values.addAll(map.values());
    } else {
      values.add(key);
    }
    if (values.isEmpty()) {
      throw new DocumentException("the record key has no fields, so it has no document id");
    }
    return values;
  }

  private static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof Struct || value instanceof Map || value instanceof List) {
      return DocumentJson.toJsonText(null, value instanceof Struct s ? structAsMap(s) : value);
    }
    return value.toString();
  }

  private static Object structAsMap(Struct struct) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      Object value = StructValues.withoutDefault(struct, field);
      map.put(field.name(), value instanceof Struct nested ? structAsMap(nested) : value);
    }
    return map;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("|", "\\|");
  }

  private static String limit(String id) {
    if (id.length() <= MAX_ID_BYTES / 3) {
      return id; // no char takes more than 3 bytes in UTF-8 (a surrogate pair takes 4 for 2)
    }
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_ID_BYTES) {
      return id;
    }
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
