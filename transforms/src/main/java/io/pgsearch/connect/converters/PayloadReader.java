package io.pgsearch.connect.converters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.SerializedString;
import io.pgsearch.connect.transforms.FieldNames;
import io.pgsearch.connect.transforms.StructValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Reads a JSON value from a parser straight into Connect data, as Kafka's {@code JsonConverter}
 * would build it from its tree: {@link Struct}, {@link HashMap}, {@link ArrayList}, boxed
 * primitives, the logical types' Java classes; without a schema, JSON numbers become {@code Long}
 * (integers) or {@code Double}. The parser stands on the value's first token and is left on its
 * last.
 *
 * <p>Where {@code JsonConverter} would quietly turn a value of the wrong JSON type into 0, false or
 * null (a string in an int32 field, say), this reader throws a {@link PayloadMismatch} instead; so
 * it does for integers out of their type's range and for integers written as fractions, which
 * {@code JsonConverter} truncates. No writer of this format produces those.
 */
final class PayloadReader {
  private final boolean replaceNullWithDefault;
  private final FieldNames fieldNames = new FieldNames();

  PayloadReader(boolean replaceNullWithDefault) {
    this.replaceNullWithDefault = replaceNullWithDefault;
  }

  Object read(JsonParser p, Schema schema) throws IOException {
    if (schema == null) {
      return schemaless(p);
    }
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return nullValue(schema);
    }
    String name = schema.name();
    if (name != null) {
      switch (name) {
        case Decimal.LOGICAL_NAME:
          return decimal(p, schema);
        case Date.LOGICAL_NAME:
          return Date.toLogical(schema, int32Only(p, "date"));
        case Time.LOGICAL_NAME:
          return Time.toLogical(schema, int32Only(p, "time"));
        case Timestamp.LOGICAL_NAME:
          return Timestamp.toLogical(schema, wrappedLong(p, "an integer (timestamp)"));
        default:
          break;
      }
    }
    return typed(p, schema);
  }

  /** A JSON null or a missing struct field: the default, null, or an error for a required one. */
  Object nullValue(Schema schema) {
    if (schema.defaultValue() != null && replaceNullWithDefault) {
      return schema.defaultValue();
    }
    if (schema.isOptional()) {
      return null;
    }
    throw new PayloadMismatch(
        "a value, not null ("
            + schema.type().getName()
            + " is required"
            + (schema.defaultValue() == null ? "" : " and replace.null.with.default is false")
            + ")");
  }

  private Object typed(JsonParser p, Schema schema) throws IOException {
    switch (schema.type()) {
      case BOOLEAN:
        return bool(p);
      case INT8:
        return (byte) integer(p, "int8", Byte.MIN_VALUE, Byte.MAX_VALUE);
      case INT16:
        return (short) integer(p, "int16", Short.MIN_VALUE, Short.MAX_VALUE);
      case INT32:
        return (int) integer(p, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE);
      case INT64:
        return integer(p, "int64", Long.MIN_VALUE, Long.MAX_VALUE);
      case FLOAT32:
        return float32(p);
      case FLOAT64:
        return float64(p);
      case STRING:
        return string(p);
      case BYTES:
        return bytes(p, "base64 bytes");
      case ARRAY:
        return array(p, schema.valueSchema());
      case MAP:
        return map(p, schema);
      case STRUCT:
        return struct(p, schema);
      default:
        throw new PayloadMismatch("a schema type this converter knows, not " + schema.type());
    }
  }

  private Object schemaless(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NUMBER_INT:
        return wrappedLong(p, "an integer");
      case VALUE_NUMBER_FLOAT:
        return float64(p);
      case VALUE_STRING:
        return p.getText();
      case START_ARRAY:
        return array(p, null);
      case START_OBJECT:
        return stringKeyed(p, null);
      default:
        throw new PayloadMismatch("a JSON value, not " + p.currentToken());
    }
  }

  private static Boolean bool(JsonParser p) {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_TRUE) {
      return Boolean.TRUE;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return Boolean.FALSE;
    }
    throw new PayloadMismatch("a boolean, not " + kind(token));
  }

  private static long integer(JsonParser p, String type, long min, long max) throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new PayloadMismatch("an integer (" + type + "), not " + kind(token));
    }
    if (p.getNumberType() != NumberType.BIG_INTEGER) {
      long value = p.getLongValue();
      if (value >= min && value <= max) {
        return value;
      }
    }
    throw new PayloadMismatch("an integer within the range of " + type);
  }

  /** Date and Time: {@code JsonConverter} takes only integers that fit an int32. */
  private static int int32Only(JsonParser p, String type) throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != NumberType.INT) {
      throw new PayloadMismatch("an int32 integer (" + type + "), not " + kind(token));
    }
    return p.getIntValue();
  }

  /** Any JSON integer as a long; a larger one wraps around, as {@code JsonConverter}'s does. */
  private static long wrappedLong(JsonParser p, String expected) throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new PayloadMismatch(expected + ", not " + kind(token));
    }
    return p.getNumberType() == NumberType.BIG_INTEGER
        ? p.getBigIntegerValue().longValue()
        : p.getLongValue();
  }

  private static double float64(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return p.getDoubleValue();
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      double value = p.getDoubleValue();
      return value == 0 ? zero(p) : value;
    }
    if (token == JsonToken.VALUE_STRING) {
      return nonFinite(p.getText(), "float64");
    }
    throw new PayloadMismatch("a number (float64), not " + kind(token));
  }

  private static float float32(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return p.getFloatValue();
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      float value = p.getFloatValue();
      return value == 0 ? (float) zero(p) : value;
    }
    if (token == JsonToken.VALUE_STRING) {
      return (float) nonFinite(p.getText(), "float32");
    }
    throw new PayloadMismatch("a number (float32), not " + kind(token));
  }

  /**
   * {@code JsonConverter} reads fractions as {@link java.math.BigDecimal}, which has no negative
   * zero: {@code -0.0} arrives as 0.0, while a negative number too small for a double stays -0.0.
   */
  private static double zero(JsonParser p) throws IOException {
    String text = p.getText();
    if (text.isEmpty() || text.charAt(0) != '-') {
      return 0.0;
    }
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        break;
      }
      if (c >= '1' && c <= '9') {
        return -0.0; // a negative number too small for a double
      }
    }
    return 0.0;
  }

  /**
   * Jackson writes NaN and the infinities as these strings; {@code JsonConverter} would read them
   * back as 0.0. They are read as what was written.
   */
  private static double nonFinite(String text, String type) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        throw new PayloadMismatch("a number (" + type + "), not a string");
    }
  }

  private static String string(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_STRING) {
      throw new PayloadMismatch("a string, not " + kind(token));
    }
    return p.getText();
  }

  private static byte[] bytes(JsonParser p, String expected) throws IOException {
    JsonToken token = p.currentToken();
    if (token != JsonToken.VALUE_STRING) {
      throw new PayloadMismatch(expected + ", not " + kind(token));
    }
    try {
      return p.getBinaryValue();
    } catch (StreamReadException | IllegalArgumentException e) {
      throw new PayloadMismatch(expected + ", not a string that is not base64");
    }
  }

  private static Object decimal(JsonParser p, Schema schema) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDecimalValue();
    }
    byte[] unscaled = bytes(p, "a decimal (a number, or base64 bytes)");
    try {
      return Decimal.toLogical(schema, unscaled);
    } catch (NumberFormatException e) {
      throw new PayloadMismatch("a decimal's base64 bytes, not empty bytes");
    }
  }

  private List<Object> array(JsonParser p, Schema elements) throws IOException {
    expect(p, JsonToken.START_ARRAY, "an array");
    List<Object> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      try {
        list.add(read(p, elements));
      } catch (PayloadMismatch e) {
        throw e.inside("[" + list.size() + "]");
      }
    }
    return list;
  }

  private Map<Object, Object> map(JsonParser p, Schema schema) throws IOException {
    if (schema.keySchema().type() == Schema.Type.STRING) {
      return stringKeyed(p, schema.valueSchema());
    }
    expect(p, JsonToken.START_ARRAY, "an array of [key, value] pairs (a map)");
    Map<Object, Object> map = new HashMap<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      try {
        expect(p, JsonToken.START_ARRAY, "a [key, value] pair");
        p.nextToken();
        Object key = read(p, schema.keySchema());
        p.nextToken();
        Object value = read(p, schema.valueSchema());
        if (p.nextToken() != JsonToken.END_ARRAY) {
          throw new PayloadMismatch("a [key, value] pair of two elements");
        }
        map.put(key, value);
      } catch (PayloadMismatch e) {
        throw e.inside("[" + map.size() + "]");
      }
    }
    return map;
  }

  /** Map keys can be row data: an error names the map, not the key. */
  private Map<Object, Object> stringKeyed(JsonParser p, Schema values) throws IOException {
    expect(p, JsonToken.START_OBJECT, "an object (a map)");
    Map<Object, Object> map = new HashMap<>();
    String key;
    while ((key = p.nextFieldName()) != null) {
      p.nextToken();
      try {
        map.put(key, read(p, values));
      } catch (PayloadMismatch e) {
        throw e.inside("[a value]");
      }
    }
    return map;
  }

  private Struct struct(JsonParser p, Schema schema) throws IOException {
    expect(p, JsonToken.START_OBJECT, "an object (struct)");
    Struct struct = new Struct(schema.schema());
    List<Field> fields = schema.fields();
    SerializedString[] names = fieldNames.of(schema);
    boolean[] seen = new boolean[fields.size()];
    int next = 0; // fields come in the schema's order: try the next one before a lookup by name
    while (true) {
      Field field;
      String name;
      if (next < names.length && p.nextFieldName(names[next])) {
        field = fields.get(next);
        name = field.name();
      } else {
        name = next < names.length ? nameOrNull(p) : p.nextFieldName();
        if (name == null) {
          break; // the object's end
        }
        field = schema.field(name);
      }
      p.nextToken();
      if (field == null) {
        p.skipChildren(); // JsonConverter ignores what the schema does not name
        continue;
      }
      next = field.index() + 1;
      try {
        StructValues.putChecked(struct, field, read(p, field.schema()));
      } catch (PayloadMismatch e) {
        throw e.inside(name);
      }
      seen[field.index()] = true;
    }
    for (Field field : fields) {
      if (!seen[field.index()]) {
        try {
          StructValues.putChecked(struct, field, nullValue(field.schema()));
        } catch (PayloadMismatch e) {
          throw e.inside(field.name());
        }
      }
    }
    return struct;
  }

  /** After a name that was not the expected one: that name, or null at the object's end. */
  private static String nameOrNull(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : null;
  }

  private static void expect(JsonParser p, JsonToken token, String expected) {
    if (p.currentToken() != token) {
      throw new PayloadMismatch(expected + ", not " + kind(p.currentToken()));
    }
  }

  /** The JSON kind of a token, for messages: never its text. */
  static String kind(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
        return "an integer";
      case VALUE_NUMBER_FLOAT:
        return "a number with a fraction or exponent";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.name();
    }
  }
}
