package io.pgsearch.connect.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.transforms.ElasticsearchValues;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Every Connect type, and Debezium's semantic types, as the JSON Elasticsearch receives: through
 * the transforms' conversion, so a row renders the same with or without {@link
 * ElasticsearchValues}.
 */
class DocumentJsonTest {

  @Test
  void everyConnectTypeBecomesExactJson() {
    Schema schema =
        SchemaBuilder.struct()
            .field("i8", Schema.INT8_SCHEMA)
            .field("i16", Schema.INT16_SCHEMA)
            .field("i32", Schema.INT32_SCHEMA)
            .field("i64", Schema.INT64_SCHEMA)
            .field("f32", Schema.FLOAT32_SCHEMA)
            .field("f64", Schema.FLOAT64_SCHEMA)
            .field("bool", Schema.BOOLEAN_SCHEMA)
            .field("text", Schema.STRING_SCHEMA)
            .field("bytes", Schema.BYTES_SCHEMA)
            .field("decimal", Decimal.schema(3))
            .field("date", org.apache.kafka.connect.data.Date.SCHEMA)
            .field("time", Time.SCHEMA)
            .field("timestamp", Timestamp.SCHEMA)
            .field("array", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
            .field("map", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
            .field("nested", SchemaBuilder.struct().field("x", Schema.STRING_SCHEMA).build())
            .field("missing", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct value =
        new Struct(schema)
            .put("i8", (byte) -8)
            .put("i16", (short) 16)
            .put("i32", 32)
            .put("i64", 1L << 60)
            .put("f32", 1.5f)
            .put("f64", 2.25)
            .put("bool", true)
            .put("text", "ünï \"q\"")
            .put("bytes", "hi".getBytes(StandardCharsets.UTF_8))
            .put("decimal", new BigDecimal("12345678901234567890.120"))
            .put("date", new Date(19_000L * 86_400_000L))
            .put("time", new Date(3_723_004L))
            .put("timestamp", new Date(1_700_000_000_123L))
            .put("array", List.of(1, 2))
            .put("map", Map.of("k", 1))
            .put("nested", new Struct(schema.field("nested").schema()).put("x", "y"));

    String json = new String(DocumentJson.toBytes(schema, value), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"i8\":-8,\"i16\":16,\"i32\":32,\"i64\":1152921504606846976,\"f32\":1.5,\"f64\":2.25,"
                + "\"bool\":true,\"text\":\"ünï \\\"q\\\"\",\"bytes\":\"aGk=\","
                + "\"decimal\":12345678901234567890.120,\"date\":\"2022-01-08\",\"time\":\"01:02:03.004\","
                + "\"timestamp\":\"2023-11-14T22:13:20.123\",\"array\":[1,2],\"map\":{\"k\":1},"
                + "\"nested\":{\"x\":\"y\"},\"missing\":null}");
  }

  @Test
  void decimalsAreWrittenPlainly() {
    assertThat(
            new String(
                DocumentJson.toBytes(null, Map.of("d", new BigDecimal("1E+3"))),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"d\":1000}");
  }

  @Test
  void debeziumSemanticTypesAreRecognised() {
    assertThat(named("io.debezium.time.Date", Schema.INT32_SCHEMA, 19_000).asText())
        .isEqualTo("2022-01-08");
    assertThat(named("io.debezium.time.MicroTime", Schema.INT64_SCHEMA, 3_723_000_004L).asText())
        .isEqualTo("01:02:03.000004");
    assertThat(
            named("io.debezium.time.Timestamp", Schema.INT64_SCHEMA, 1_700_000_000_123L).asText())
        .isEqualTo("2023-11-14T22:13:20.123");
    assertThat(
            named("io.debezium.time.MicroTimestamp", Schema.INT64_SCHEMA, 1_700_000_000_123_456L)
                .asText())
        .isEqualTo("2023-11-14T22:13:20.123456");
    assertThat(named("io.debezium.time.NanoTimestamp", Schema.INT64_SCHEMA, -1L).asText())
        .isEqualTo("1969-12-31T23:59:59.999999999");
    assertThat(
            named("io.debezium.data.Json", Schema.STRING_SCHEMA, "{\"a\":[1,{\"b\":null}]}")
                .toString())
        .isEqualTo("{\"a\":[1,{\"b\":null}]}");
    assertThat(
            named("io.pgsearch.Json", Schema.STRING_SCHEMA, "[1.10, 12345678901234567890.5]")
                .toString())
        .isEqualTo("[1.10,12345678901234567890.5]");
    Struct decimal = variableScale(3, "-12345");
    Schema variable = decimal.schema();
    assertThat(named(variable, decimal).toString()).isEqualTo("-12.345");
  }

  @Test
  void theEndOfTheDayIsATimeNotAFailure() {
    // PostgreSQL's time '24:00:00', which java.time cannot hold.
    assertThat(named("io.debezium.time.MicroTime", Schema.INT64_SCHEMA, 86_400_000_000L).asText())
        .isEqualTo("24:00:00");
    assertThat(named("io.debezium.time.Time", Schema.INT32_SCHEMA, 86_400_000).asText())
        .isEqualTo("24:00:00");
  }

  @Test
  void aValueItsConversionRefusesIsAMalformedRecord() {
    Schema range =
        SchemaBuilder.string().parameter("__debezium.source.column.type", "INT4RANGE").build();
    assertThatThrownBy(() -> named(range, "not a range"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("cannot be converted")
        .hasMessageContaining("'v'");
  }

  @Test
  void aRowRendersTheSameWithAndWithoutTheTransform() {
    Schema point =
        SchemaBuilder.struct()
            .name("io.debezium.data.geometry.Point")
            .optional()
            .field("x", Schema.FLOAT64_SCHEMA)
            .field("y", Schema.FLOAT64_SCHEMA)
            .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("srid", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    Struct ratio = variableScale(3, "-12345");
    Schema row =
        SchemaBuilder.struct()
            .name("shop.public.things.Value")
            .field("day", named("io.debezium.time.Date", Schema.INT32_SCHEMA))
            .field("at", named("io.debezium.time.MicroTimestamp", Schema.INT64_SCHEMA))
            .field("midnight", named("io.debezium.time.MicroTime", Schema.INT64_SCHEMA))
            .field("took", named("io.debezium.time.MicroDuration", Schema.INT64_SCHEMA))
            .field("zoned", named("io.debezium.time.ZonedTimestamp", Schema.STRING_SCHEMA))
            .field("price", Decimal.schema(2))
            .field("ratio", ratio.schema())
            .field("doc", named("io.debezium.data.Json", Schema.STRING_SCHEMA))
            .field("home", point)
            .field(
                "span",
                SchemaBuilder.string()
                    .parameter("__debezium.source.column.type", "INT4RANGE")
                    .build())
            .field("ts", Timestamp.SCHEMA)
            .build();
    Struct value =
        new Struct(row)
            .put("day", 19_000)
            .put("at", 1_700_000_000_123_456L)
            .put("midnight", 86_400_000_000L)
            .put("took", 5_400_000_000L)
            .put("zoned", "2024-06-01T00:11:00Z")
            .put("price", new BigDecimal("12.30"))
            .put("ratio", ratio)
            .put("doc", "{\"a\": [1.50]}")
            .put("home", new Struct(point).put("x", 13.405).put("y", 52.52))
            .put("span", "[1,10)")
            .put("ts", new Date(1_700_000_000_123L));
    SinkRecord raw = new SinkRecord("t", 0, null, null, row, value, 0);
    try (ElasticsearchValues.Value<SinkRecord> transform = new ElasticsearchValues.Value<>()) {
      transform.configure(Map.of());
      SinkRecord converted = transform.apply(raw);

      ObjectNode direct = document(raw.valueSchema(), raw.value());
      assertThat(document(converted.valueSchema(), converted.value())).isEqualTo(direct);
      assertThat(direct.toString())
          .isEqualTo(
              "{\"day\":\"2022-01-08\",\"at\":\"2023-11-14T22:13:20.123456\","
                  + "\"midnight\":\"24:00:00\",\"took\":\"PT1H30M\","
                  + "\"zoned\":\"2024-06-01T00:11:00Z\",\"price\":12.30,\"ratio\":-12.345,"
                  + "\"doc\":{\"a\":[1.50]},\"home\":{\"lat\":52.52,\"lon\":13.405},"
                  + "\"span\":{\"gte\":1,\"lt\":10},\"ts\":\"2023-11-14T22:13:20.123\"}");
    }
  }

  /** Debezium's numeric without a scale: {@code unscaled * 10^-scale}. */
  private static Struct variableScale(int scale, String unscaled) {
    Schema schema =
        SchemaBuilder.struct()
            .name("io.debezium.data.VariableScaleDecimal")
            .field("scale", Schema.INT32_SCHEMA)
            .field("value", Schema.BYTES_SCHEMA)
            .build();
    return new Struct(schema)
        .put("scale", scale)
        .put("value", new java.math.BigInteger(unscaled).toByteArray());
  }

  private static Schema named(String name, Schema base) {
    return new SchemaBuilder(base.type()).name(name).build();
  }

  @Test
  void schemalessValuesConvertByTheirJavaType() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("n", 1);
    value.put("list", List.of("a", 2L));
    value.put("buffer", ByteBuffer.wrap(new byte[] {1, 2}));
    value.put("null", null);
    assertThat(document(null, value).toString())
        .isEqualTo("{\"n\":1,\"list\":[\"a\",2],\"buffer\":\"AQI=\",\"null\":null}");
  }

  @Test
  void aJsonValueWhoseTopLevelIsAnObjectIsADocument() {
    Schema json = new SchemaBuilder(Schema.Type.STRING).name("io.debezium.data.Json").build();
    assertThat(new String(DocumentJson.toBytes(json, "{\"a\": 1.50}"), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1.50}");
    assertThatThrownBy(() -> DocumentJson.toBytes(json, "[1]"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("must be a Struct or a Map");
  }

  @Test
  void schemalessPrimitivesKeepTheirPrecision() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("f", 0.1f);
    value.put("d", 0.1);
    value.put("big", new java.math.BigInteger("123456789012345678901234567890"));
    value.put("at", new Date(1_700_000_000_123L));
    value.put("bytes", new byte[] {(byte) 0xff});
    assertThat(new String(DocumentJson.toBytes(null, value), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"f\":0.1,\"d\":0.1,\"big\":123456789012345678901234567890,"
                + "\"at\":\"2023-11-14T22:13:20.123Z\",\"bytes\":\"/w==\"}");
  }

  @Test
  void valuesThatCannotBeDocumentsAreClearErrors() {
    assertThatThrownBy(() -> document(Schema.STRING_SCHEMA, "text"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("must be a Struct or a Map")
        .hasMessageNotContaining("text\"");
    assertThatThrownBy(() -> document(null, Map.of("x", Double.NaN)))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> named("io.debezium.data.Json", Schema.STRING_SCHEMA, "{oops"))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("not valid JSON");
  }

  /** The document as the search server reads it. */
  private static ObjectNode document(Schema schema, Object value) {
    try {
      return (ObjectNode) DocumentJson.JSON.readTree(DocumentJson.toBytes(schema, value));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode named(String name, Schema base, Object value) {
    return named(new SchemaBuilder(base.type()).name(name).build(), value);
  }

  /** The value as a document's field renders it. */
  private static JsonNode named(Schema schema, Object value) {
    Schema row = SchemaBuilder.struct().field("v", schema).build();
    return document(row, new Struct(row).put("v", value)).get("v");
  }
}
