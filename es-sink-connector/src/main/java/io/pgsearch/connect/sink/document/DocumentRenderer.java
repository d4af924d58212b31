package io.pgsearch.connect.sink.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.transforms.FieldNames;
import io.pgsearch.connect.transforms.KeptGenerator;
import io.pgsearch.connect.transforms.PgsearchSchemas;
import io.pgsearch.connect.transforms.StructValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Renders a Connect value (with or without a schema) as the bytes of an Elasticsearch document:
 * converted by {@link DocumentJson#documentSchema}, numbers exact ({@code Decimal} becomes a plain
 * JSON number with every digit), JSON text ({@code io.pgsearch.Json}) embedded as JSON, bytes as
 * base64. Written as a stream, without a tree of the document in between.
 *
 * <p>One per task, used by one thread at a time. It keeps what every record would otherwise redo
 * (rendering was about a tenth of the Connect worker's CPU in a snapshot): the generator and its
 * buffer ({@link KeptGenerator}, dropped after any failed document), each schema's field names
 * pre-encoded, and each schema object's document schema (found by identity, without the shared
 * cache's lock and its comparison of equal schemas field by field). {@link #close} gives the buffer
 * back.
 */
public final class DocumentRenderer implements AutoCloseable {
  /** Document schemas kept per schema object; bounded like {@link FieldNames}. */
  static final int SCHEMAS = 1024;

  private final FieldNames fieldNames = new FieldNames();
  private final Map<Schema, Schema> documentSchemas = new IdentityHashMap<>();
  private final KeptGenerator output = new KeptGenerator(DocumentJson.JSON.getFactory());

  /**
   * The bytes of the document a record value becomes; the value must be a Struct or a Map. Throws
   * {@link DocumentException} for a value that can never be a document.
   */
  public byte[] toBytes(Schema schema, Object value) {
    Schema converted = documentSchema(schema);
    Object document = schema == null ? value : DocumentJson.nativeValue(schema, converted, value);
    if (document != null && converted != null && PgsearchSchemas.JSON.equals(converted.name())) {
      JsonNode parsed = DocumentJson.parseJson(document); // JSON text, maybe a top-level object
      if (parsed.isObject()) {
        return DocumentJson.toBytes(parsed);
      }
    } else if (document instanceof Struct || document instanceof Map) {
      return write(converted, document);
    }
    throw new DocumentException(
        "the record value must be a Struct or a Map to become a document, but it is "
            + DocumentJson.describe(schema, value));
  }

  /**
   * {@link DocumentJson#documentSchema}, kept per built schema object: a {@code SchemaBuilder} can
   * still change, and a schema's conversion never does.
   */
  private Schema documentSchema(Schema schema) {
    Schema converted = documentSchemas.get(schema);
    if (converted == null) {
      converted = DocumentJson.documentSchema(schema);
      if (schema instanceof ConnectSchema) {
        if (documentSchemas.size() >= SCHEMAS) {
          documentSchemas.clear();
        }
        documentSchemas.put(schema, converted);
      }
    }
    return converted;
  }

  /** Any Connect value as JSON bytes; a null schema means a schemaless value. */
  byte[] write(Schema schema, Object value) {
    try {
      return output.write(null, g -> write(g, schema, value), null);
    } catch (IOException e) {
      throw new DocumentException("the document cannot be serialised: " + e.getMessage());
    }
  }

  /** Gives the generator's buffers back to Jackson's pool. */
  @Override
  public void close() {
    output.close();
  }

  /** Writes any Connect value; a null schema means a schemaless value. */
  private void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (schema != null && PgsearchSchemas.JSON.equals(schema.name())) {
      copyJson(out, value);
    } else if (value instanceof Struct struct) {
      struct(out, struct);
    } else if (value instanceof Map<?, ?> map) {
      Schema valueSchema = schema == null ? null : schema.valueSchema();
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() == null) {
          throw new DocumentException("a map has a null key; field names must not be null");
        }
        out.writeFieldName(String.valueOf(entry.getKey()));
        write(out, valueSchema, entry.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof Collection<?> list) {
      Schema elementSchema = schema == null ? null : schema.valueSchema();
      out.writeStartArray();
      for (Object element : list) {
        write(out, elementSchema, element);
      }
      out.writeEndArray();
    } else {
      primitive(out, value);
    }
  }

  private void struct(JsonGenerator out, Struct struct) throws IOException {
    Schema schema = struct.schema();
    SerializedString[] names = fieldNames.of(schema);
    List<Field> fields = schema.fields();
    out.writeStartObject();
    for (int i = 0; i < names.length; i++) {
      Field field = fields.get(i);
      out.writeFieldName(names[i]);
      write(out, field.schema(), StructValues.withoutDefault(struct, field));
    }
    out.writeEndObject();
  }

  private static void primitive(JsonGenerator out, Object value) throws IOException {
    if (value instanceof String text) {
      out.writeString(text);
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      out.writeNumber(((Number) value).intValue());
    } else if (value instanceof Long number) {
      out.writeNumber(number);
    } else if (value instanceof Float number) {
      out.writeNumber(finite(number.doubleValue(), number));
    } else if (value instanceof Double number) {
      out.writeNumber(finite(number, number));
    } else if (value instanceof BigDecimal decimal) {
      out.writeNumber(decimal);
    } else if (value instanceof BigInteger integer) {
      out.writeNumber(integer);
    } else if (value instanceof byte[] bytes) {
      out.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      out.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (value instanceof Date date) {
      // A java.util.Date without a logical schema (schemaless): an instant.
      out.writeString(DateTimeFormatter.ISO_INSTANT.format(date.toInstant()));
    } else {
      throw new DocumentException(
          "values of type " + value.getClass().getName() + " cannot be indexed");
    }
  }

  private static <N extends Number> N finite(double number, N value) {
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      throw new DocumentException(
          "the value "
              + number
              + " cannot be indexed: JSON and the search servers have no NaN or Infinity");
    }
    return value;
  }

  /**
   * Copies JSON text into the document as a stream, without a tree in between; numbers are copied
   * exactly, as {@link DocumentJson#JSON} reads them (big decimals for floats).
   */
  private static void copyJson(JsonGenerator out, Object value) throws IOException {
    try (JsonParser parser = DocumentJson.JSON.createParser(value.toString())) {
      if (parser.nextToken() == null) {
        throw new DocumentException("a " + PgsearchSchemas.JSON + " value is not valid JSON");
      }
      out.copyCurrentStructureExact(parser);
    } catch (JsonProcessingException e) {
      throw new DocumentException("a " + PgsearchSchemas.JSON + " value is not valid JSON");
    }
  }
}
