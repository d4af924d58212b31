package io.pgsearch.connect.converters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.pgsearch.connect.transforms.FieldNames;
import io.pgsearch.connect.transforms.StructValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.DecimalFormat;

/**
 * Writes Connect data to a generator exactly as Kafka's {@code JsonConverter} renders it through
 * its tree: the same Jackson calls for every type, fields in schema order, decimals as base64 of
 * their unscaled bytes or as numbers, dates and times as their integers, a null replaced by the
 * schema's default only with {@code replace.null.with.default}. Its errors are {@code
 * JsonConverter}'s, and name types, never values.
 */
final class PayloadWriter {
  private final boolean replaceNullWithDefault;
  private final boolean numericDecimals;
  private final EqualSchemas equalSchemas;
  private final FieldNames fieldNames = new FieldNames();

  PayloadWriter(boolean replaceNullWithDefault, DecimalFormat decimalFormat, int schemaCacheSize) {
    this.replaceNullWithDefault = replaceNullWithDefault;
    this.numericDecimals = decimalFormat == DecimalFormat.NUMERIC;
    this.equalSchemas = new EqualSchemas(schemaCacheSize);
  }

  void write(JsonGenerator g, Schema schema, Object value) throws IOException {
    if (value == null) {
      writeNull(g, schema);
      return;
    }
    if (schema != null && schema.name() != null && logical(g, schema, value)) {
      return;
    }
    Schema.Type type = schema == null ? inferred(value) : schema.type();
    try {
      typed(g, schema, type, value);
    } catch (ClassCastException e) {
      String expected = schema != null ? schema.type().toString() : "unknown schema";
      throw new DataException("Invalid type for " + expected + ": " + value.getClass());
    }
  }

  private void writeNull(JsonGenerator g, Schema schema) throws IOException {
    if (schema == null) {
      g.writeNull();
    } else if (schema.defaultValue() != null && replaceNullWithDefault) {
      write(g, schema, schema.defaultValue());
    } else if (schema.isOptional()) {
      g.writeNull();
    } else {
      throw new DataException(
          "Conversion error: null value for field that is required and has no default value");
    }
  }

  private static Schema.Type inferred(Object value) {
    Schema.Type type = ConnectSchema.schemaType(value.getClass());
    if (type == null) {
      throw new DataException(
          "Java class " + value.getClass() + " does not have corresponding schema type.");
    }
    return type;
  }

  /** False when the schema's name is not one of Connect's logical types. */
  private boolean logical(JsonGenerator g, Schema schema, Object value) throws IOException {
    switch (schema.name()) {
      case Decimal.LOGICAL_NAME:
        if (!(value instanceof BigDecimal decimal)) {
          throw new DataException(
              "Invalid type for Decimal, expected BigDecimal but was " + value.getClass());
        }
        if (numericDecimals) {
          g.writeNumber(decimal);
        } else {
          g.writeBinary(Decimal.fromLogical(schema, decimal));
        }
        return true;
      case Date.LOGICAL_NAME:
        g.writeNumber(Date.fromLogical(schema, date(value, "Date")));
        return true;
      case Time.LOGICAL_NAME:
        g.writeNumber(Time.fromLogical(schema, date(value, "Time")));
        return true;
      case Timestamp.LOGICAL_NAME:
        g.writeNumber(Timestamp.fromLogical(schema, date(value, "Timestamp")));
        return true;
      default:
        return false;
    }
  }

  private static java.util.Date date(Object value, String type) {
    if (!(value instanceof java.util.Date date)) {
      throw new DataException(
          "Invalid type for " + type + ", expected Date but was " + value.getClass());
    }
    return date;
  }

  private void typed(JsonGenerator g, Schema schema, Schema.Type type, Object value)
      throws IOException {
    switch (type) {
      case INT8 -> g.writeNumber((Byte) value);
      case INT16 -> g.writeNumber((Short) value);
      case INT32 -> g.writeNumber((Integer) value);
      case INT64 -> g.writeNumber((Long) value);
      case FLOAT32 -> g.writeNumber((Float) value);
      case FLOAT64 -> g.writeNumber((Double) value);
      case BOOLEAN -> g.writeBoolean((Boolean) value);
      case STRING -> g.writeString(((CharSequence) value).toString());
      case BYTES -> g.writeBinary(bytes(value));
      case ARRAY -> array(g, schema == null ? null : schema.valueSchema(), (Collection<?>) value);
      case MAP -> map(g, schema, (Map<?, ?>) value);
      case STRUCT -> struct(g, schema, (Struct) value);
      default -> throw new DataException("Couldn't convert a " + type + " to JSON.");
    }
  }

  /** A ByteBuffer as JsonConverter writes it: its whole backing array. */
  private static byte[] bytes(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.array();
    }
    throw new DataException("Invalid type for bytes type: " + value.getClass());
  }

  private void array(JsonGenerator g, Schema elements, Collection<?> values) throws IOException {
    g.writeStartArray();
    for (Object element : values) {
      write(g, elements, element);
    }
    g.writeEndArray();
  }

  private void map(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException {
    Schema keys = schema == null ? null : schema.keySchema();
    Schema values = schema == null ? null : schema.valueSchema();
    if (schema == null ? allStringKeys(map) : keys.type() == Schema.Type.STRING) {
      g.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        g.writeFieldName(keyText(keys, entry.getKey()));
        write(g, values, entry.getValue());
      }
      g.writeEndObject();
      return;
    }
    g.writeStartArray();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      g.writeStartArray();
      write(g, keys, entry.getKey());
      write(g, values, entry.getValue());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private static boolean allStringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /** A string-keyed map's key as JsonConverter names the member: the text of the key's JSON. */
  private String keyText(Schema keys, Object key) {
    if (key == null) {
      if (keys != null && keys.defaultValue() != null && replaceNullWithDefault) {
        return keyText(keys, keys.defaultValue());
      }
      if (keys == null || keys.isOptional()) {
        return "null";
      }
      throw new DataException(
          "Conversion error: null value for field that is required and has no default value");
    }
    try {
      return ((CharSequence) key).toString();
    } catch (ClassCastException e) {
      throw new DataException("Invalid type for STRING: " + key.getClass());
    }
  }

  private void struct(JsonGenerator g, Schema schema, Struct struct) throws IOException {
    if (!equalSchemas.equal(struct.schema(), schema)) {
      throw new DataException("Mismatching schema.");
    }
    SerializedString[] names = fieldNames.of(schema);
    g.writeStartObject();
    for (Field field : schema.fields()) {
      g.writeFieldName(names[field.index()]);
      write(g, field.schema(), StructValues.withoutDefault(struct, field));
    }
    g.writeEndObject();
  }
}
