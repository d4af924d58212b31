package io.pgsearch.connect.converters;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.pgsearch.connect.transforms.KeptGenerator;
import io.pgsearch.connect.transforms.PluginVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.StringConverterConfig;

/**
 * Kafka's JSON wire format, read and written as a stream: a drop-in replacement for {@code
 * org.apache.kafka.connect.json.JsonConverter} with the same settings ({@code schemas.enable},
 * {@code schemas.cache.size}, {@code decimal.format}, {@code replace.null.with.default}, {@code
 * schema.content}) and the same bytes on the topic, so a topic written by either is read by the
 * other.
 *
 * <p>What it saves is the JSON tree. {@code JsonConverter} parses every record into a tree, looks
 * its schema up in a cache keyed by that tree (a deep comparison), and builds Connect data from the
 * tree; writing, it builds a tree of the whole envelope, schema included, and serializes it. Here a
 * record's embedded schema is looked up by its bytes (usually one comparison with the schema of a
 * recent record) and the payload is read from the parser straight into Connect data; writing, the
 * envelope's schema part is copied from bytes cached per schema and the payload is generated
 * straight from the Connect data.
 *
 * <p>Differences, all on input no {@code JsonConverter} writes: a payload value of the wrong JSON
 * type (a string in an int32 field, a fraction or an out-of-range integer in an integer field) is a
 * {@link DataException} naming the topic, the field and what was expected, where {@code
 * JsonConverter} would quietly make it 0, false or null; NaN and infinite floats, which Jackson
 * writes as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, are read back as
 * themselves rather than as 0.0. Error messages never carry the record's values.
 */
public class StreamingJsonConverter implements Converter, Versioned {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS).build();

  /** Trees only for what the fast path leaves: a new schema, an envelope in an unusual shape. */
  private static final ObjectMapper TREES =
      JsonMapper.builder(JSON)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final byte[] SCHEMA_MEMBER = "{\"schema\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAYLOAD_MEMBER = ",\"payload\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = {'}'};

  private static final String VERSION =
      PluginVersion.of(StreamingJsonConverter.class, "converters.properties");

  private boolean isKey;
  private boolean schemasEnabled;
  private Schema fixedSchema;
  private PayloadReader reader;
  private PayloadWriter writer;
  private JsonSchemaReader schemaReader;
  private JsonSchemaWriter schemaWriter;
  private SchemasByJson readSchemas;
  private EncodedSchemas writeSchemas;
  private final KeptGenerator output = new KeptGenerator(JSON); // guarded by this

  @Override
  public String version() {
    return VERSION;
  }

  /** {@code JsonConverter}'s own settings, as its {@link JsonConverterConfig} defines them. */
  @Override
  public ConfigDef config() {
    return JsonConverterConfig.configDef();
  }

  /** Configures from settings that include {@code converter.type} (key or value). */
  public void configure(Map<String, ?> configs) {
    JsonConverterConfig config = new JsonConverterConfig(configs);
    isKey = config.type() == ConverterType.KEY;
    schemasEnabled = config.schemasEnabled();
    reader = new PayloadReader(config.replaceNullWithDefault());
    writer =
        new PayloadWriter(
            config.replaceNullWithDefault(), config.decimalFormat(), config.schemaCacheSize());
    schemaReader = new JsonSchemaReader(reader);
    schemaWriter = new JsonSchemaWriter(writer);
    readSchemas = new SchemasByJson(config.schemaCacheSize());
    writeSchemas = new EncodedSchemas(config.schemaCacheSize());
    fixedSchema = config.schemaContent() == null ? null : fixedSchema(config.schemaContent());
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> withType = new HashMap<>(configs);
    withType.put(
        StringConverterConfig.TYPE_CONFIG,
        isKey ? ConverterType.KEY.getName() : ConverterType.VALUE.getName());
    configure(withType);
  }

  private Schema fixedSchema(byte[] content) {
    try {
      return schemaReader.read(TREES.readTree(content));
    } catch (IOException e) {
      throw new DataException(
          JsonConverterConfig.SCHEMA_CONTENT_CONFIG + " is not valid JSON, " + position(e), null);
    }
  }

  @Override
  public SchemaAndValue toConnectData(String topic, byte[] value) {
    if (value == null) {
      return SchemaAndValue.NULL;
    }
    try {
      if (!schemasEnabled || fixedSchema != null) {
        return whole(value, schemasEnabled ? fixedSchema : null);
      }
      SchemaAndValue fast = envelopeFast(value);
      return fast != null ? fast : envelope(value);
    } catch (PayloadMismatch e) {
      throw new DataException(about(topic) + mismatch(e), null);
    } catch (IOException e) {
      throw new DataException(about(topic) + "not valid JSON, " + position(e), null);
    } catch (DataException e) {
      throw new DataException(about(topic) + e.getMessage(), e);
    }
  }

  /** A document that is the payload itself: schemaless, or with {@code schema.content}. */
  private SchemaAndValue whole(byte[] bytes, Schema schema) throws IOException {
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() == null) {
        return new SchemaAndValue(schema, schema == null ? null : reader.nullValue(schema));
      }
      return new SchemaAndValue(schema, payload(p, schema));
    }
  }

  /**
   * The usual envelope, {@code {"schema":{...},"payload":{...}}} (whitespace allowed), with its
   * schema's text found by bytes; null for any other shape.
   */
  private SchemaAndValue envelopeFast(byte[] b) throws IOException {
    int i = EnvelopeText.punctuation(b, 0, '{');
    i = EnvelopeText.punctuation(b, EnvelopeText.literal(b, i, EnvelopeText.SCHEMA), ':');
    if (i < 0 || i >= b.length) {
      return null;
    }
    Schema[] schema = new Schema[1];
    int schemaEnd = schemaAt(b, i, schema);
    i = EnvelopeText.punctuation(b, schemaEnd, ',');
    i = EnvelopeText.punctuation(b, EnvelopeText.literal(b, i, EnvelopeText.PAYLOAD), ':');
    if (i < 0 || i >= b.length || (b[i] != '{' && b[i] != '[')) {
      return null; // a scalar payload: the full parser reads it (Jackson's root rules differ)
    }
    try (JsonParser p = JSON.createParser(b, i, b.length - i)) {
      p.nextToken();
      long start = p.currentTokenLocation().getByteOffset();
      Object value = payload(p, schema[0]);
      int end = i + (int) (p.currentLocation().getByteOffset() - start);
      return EnvelopeText.punctuation(b, end, '}') < 0
          ? null
          : new SchemaAndValue(schema[0], value);
    }
  }

  /** The index after the schema (an object or null) at {@code i}, its schema in {@code found}. */
  private int schemaAt(byte[] b, int i, Schema[] found) throws IOException {
    if (b[i] != '{') {
      return EnvelopeText.literal(b, i, EnvelopeText.NULL);
    }
    int length = readSchemas.recentAt(b, i, found);
    if (length >= 0) {
      return i + length;
    }
    int end = EnvelopeText.containerEnd(b, i);
    if (end >= 0) {
      found[0] = schemaOf(b, i, end);
    }
    return end;
  }

  private Schema schemaOf(byte[] b, int from, int to) throws IOException {
    Schema schema = readSchemas.get(b, from, to);
    if (schema == null) {
      schema = schemaReader.read(TREES.readTree(b, from, to - from));
      readSchemas.put(b, from, to, schema);
    }
    return schema;
  }

  /**
   * Any envelope the fast path does not take: members in any order, a scalar payload, or input that
   * is not an envelope at all (then the error {@code JsonConverter} gives).
   */
  private SchemaAndValue envelope(byte[] bytes) throws IOException {
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAnEnvelope();
      }
      Schema schema = null;
      boolean hasSchema = false;
      JsonNode payload = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken token = p.nextToken();
        if (name.equals("schema")) {
          hasSchema = true;
          schema = envelopeSchema(p, token, bytes);
        } else if (name.equals("payload")) {
          payload = token == JsonToken.VALUE_NULL ? NullNode.getInstance() : TREES.readTree(p);
        } else {
          throw notAnEnvelope();
        }
      }
      if (!hasSchema || payload == null) {
        throw notAnEnvelope();
      }
      try (JsonParser values = payload.traverse()) {
        values.nextToken();
        return new SchemaAndValue(schema, payload(values, schema));
      }
    }
  }

  private Schema envelopeSchema(JsonParser p, JsonToken token, byte[] bytes) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      return schemaReader.read(
          token == JsonToken.VALUE_NULL ? NullNode.getInstance() : TREES.readTree(p));
    }
    int from = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    return schemaOf(bytes, from, (int) p.currentLocation().getByteOffset());
  }

  private Object payload(JsonParser p, Schema schema) throws IOException {
    try {
      return reader.read(p, schema);
    } catch (PayloadMismatch e) {
      throw e.of(schema);
    }
  }

  /**
   * Writes one record, with a generator and buffer kept from record to record ({@link
   * KeptGenerator}).
   */
  @Override
  public synchronized byte[] fromConnectData(String topic, Schema schema, Object value) {
    if (schema == null && value == null) {
      return null;
    }
    try {
      return output.write(
          schemasEnabled ? prefix(schema) : null,
          g -> writer.write(g, schema, value),
          schemasEnabled ? END : null);
    } catch (DataException e) {
      throw new DataException(about(topic) + "cannot be written as JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new DataException(about(topic) + "cannot be written as JSON", e);
    }
  }

  /** {@code {"schema":<the schema's JSON>,"payload":} as bytes, cached per schema. */
  private byte[] prefix(Schema schema) throws IOException {
    byte[] prefix = schema == null ? null : writeSchemas.get(schema);
    if (prefix != null) {
      return prefix;
    }
    try (ByteArrayBuilder out = new ByteArrayBuilder(1024)) {
      out.write(SCHEMA_MEMBER);
      try (JsonGenerator g = JSON.createGenerator(out)) {
        schemaWriter.write(g, schema);
      }
      out.write(PAYLOAD_MEMBER);
      prefix = out.toByteArray();
    }
    if (schema != null) {
      writeSchemas.put(schema, prefix);
    }
    return prefix;
  }

  private String part() {
    return isKey ? "key" : "value";
  }

  /** The start of every message: which part of which topic's record. */
  private String about(String topic) {
    return "The " + part() + " of a record of topic " + topic + " is ";
  }

  private static DataException notAnEnvelope() {
    return new DataException(
        "not a JSON envelope: with schemas.enable the converter needs an object of exactly two"
            + " members, \"schema\" and \"payload\". If the topic holds plain JSON, set"
            + " schemas.enable=false.");
  }

  private static String mismatch(PayloadMismatch e) {
    String path = e.path();
    return "not what its schema"
        + (e.schemaName() == null ? "" : " " + e.schemaName())
        + " says: expected "
        + e.expected()
        + (path.isEmpty() ? "" : " for field " + path);
  }

  /** Where the JSON broke; Jackson's own message quotes the input, so it stays out. */
  private static String position(IOException e) {
    if (e instanceof StreamReadException read && read.getLocation() != null) {
      return "invalid at line "
          + read.getLocation().getLineNr()
          + ", column "
          + read.getLocation().getColumnNr()
          + " ("
          + e.getClass().getSimpleName()
          + ")";
    }
    return e.getClass().getSimpleName();
  }

  /** Gives the generator's buffer back to Jackson's pool; the caches go with the instance. */
  @Override
  public synchronized void close() {
    output.close();
  }
}
