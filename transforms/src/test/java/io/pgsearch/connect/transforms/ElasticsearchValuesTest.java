package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ElasticsearchValuesTest {

  private static Schema named(Schema.Type type, String name) {
    return SchemaBuilder.type(type).name(name).optional().build();
  }

  private static Schema variableScaleDecimal() {
    return SchemaBuilder.struct()
        .name(NativeValues.VARIABLE_SCALE_DECIMAL)
        .optional()
        .field("scale", Schema.INT32_SCHEMA)
        .field("value", Schema.BYTES_SCHEMA)
        .build();
  }

  private static Struct variableScale(String decimal) {
    BigDecimal value = new BigDecimal(decimal);
    return new Struct(variableScaleDecimal())
        .put("scale", value.scale())
        .put("value", value.unscaledValue().toByteArray());
  }

  private static Schema point() {
    return SchemaBuilder.struct()
        .name(NativeValues.POINT)
        .optional()
        .field("x", Schema.FLOAT64_SCHEMA)
        .field("y", Schema.FLOAT64_SCHEMA)
        .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("srid", Schema.OPTIONAL_INT32_SCHEMA)
        .build();
  }

  private static Schema geometry() {
    return SchemaBuilder.struct()
        .name(NativeValues.GEOMETRY)
        .optional()
        .field("wkb", Schema.BYTES_SCHEMA)
        .field("srid", Schema.OPTIONAL_INT32_SCHEMA)
        .build();
  }

  /** Field schema, Debezium's value, expected value, expected schema name (null: unnamed). */
  static Stream<Arguments> conversions() {
    return Stream.of(
        Arguments.of(named(Schema.Type.INT32, "io.debezium.time.Date"), 19_000, "2022-01-08", null),
        Arguments.of(named(Schema.Type.INT32, "io.debezium.time.Date"), -1, "1969-12-31", null),
        Arguments.of(
            named(Schema.Type.INT32, "io.debezium.time.Time"), 49_530_123, "13:45:30.123", null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.MicroTime"),
            49_530_123_456L,
            "13:45:30.123456",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.MicroTime"),
            86_400_000_000L,
            "24:00:00",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.NanoTime"),
            49_500_000_000_000L,
            "13:45:00",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.Timestamp"),
            1_700_000_000_123L,
            "2023-11-14T22:13:20.123",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.MicroTimestamp"),
            1_700_000_000_123_456L,
            "2023-11-14T22:13:20.123456",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.MicroTimestamp"),
            -1L,
            "1969-12-31T23:59:59.999999",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.NanoTimestamp"),
            1_700_000_000_123_456_789L,
            "2023-11-14T22:13:20.123456789",
            null),
        Arguments.of(
            named(Schema.Type.INT64, "io.debezium.time.MicroDuration"),
            93_784_000_005L,
            "PT26H3M4.000005S",
            null),
        Arguments.of(
            org.apache.kafka.connect.data.Date.builder().optional().build(),
            new java.util.Date(19_000L * 86_400_000L),
            "2022-01-08",
            null),
        Arguments.of(
            org.apache.kafka.connect.data.Time.builder().optional().build(),
            new java.util.Date(49_530_123L),
            "13:45:30.123",
            null),
        Arguments.of(
            org.apache.kafka.connect.data.Timestamp.builder().optional().build(),
            new java.util.Date(1_700_000_000_123L),
            "2023-11-14T22:13:20.123",
            null),
        Arguments.of(
            named(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp"),
            "2023-11-14T22:13:20.123456Z",
            "2023-11-14T22:13:20.123456Z",
            "io.debezium.time.ZonedTimestamp"),
        Arguments.of(
            named(Schema.Type.STRING, NativeValues.DEBEZIUM_JSON),
            "{\"a\": [1, 2]}",
            "{\"a\": [1, 2]}",
            PgsearchSchemas.JSON),
        Arguments.of(
            variableScaleDecimal(),
            variableScale("-12345.678900"),
            "-12345.678900",
            PgsearchSchemas.JSON),
        Arguments.of(variableScaleDecimal(), variableScale("1E+3"), "1000", PgsearchSchemas.JSON),
        Arguments.of(
            geometry(),
            new Struct(geometry()).put("wkb", wkbPoint(ByteOrder.LITTLE_ENDIAN, 1, 13.4, 52.5)),
            "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]}",
            PgsearchSchemas.JSON),
        Arguments.of(
            named(Schema.Type.STRING, "io.debezium.data.Uuid"),
            "0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1",
            "0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1",
            "io.debezium.data.Uuid"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conversions")
  void debeziumValuesBecomeElasticsearchValues(
      Schema field, Object debezium, Object expected, String expectedSchemaName) {
    Schema row = SchemaBuilder.struct().name("row").field("v", field).build();

    SourceRecord out =
        valueTransform(Map.of()).apply(record(row, new Struct(row).put("v", debezium)));

    Struct document = (Struct) out.value();
    assertThat(document.get("v")).isEqualTo(expected);
    assertThat(document.schema().field("v").schema().name()).isEqualTo(expectedSchemaName);
    assertThat(document.schema().field("v").schema().isOptional()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "io.debezium.time.Date, date",
    "io.debezium.time.MicroTimestamp, date",
    "io.debezium.time.NanoTimestamp, date",
    "io.debezium.time.MicroTime, keyword",
    "io.debezium.time.Time, keyword",
    "io.debezium.time.MicroDuration, keyword"
  })
  void convertedTemporalValuesCarryTheirElasticsearchType(String name, String esType) {
    Schema field =
        named(name.equals("io.debezium.time.Date") ? Schema.Type.INT32 : Schema.Type.INT64, name);
    Schema row = SchemaBuilder.struct().name("row").field("v", field).build();
    Struct value = new Struct(row).put("v", field.type() == Schema.Type.INT32 ? (Object) 1 : 1L);

    SourceRecord out = valueTransform(Map.of()).apply(record(row, value));

    assertThat(out.valueSchema().field("v").schema().parameters())
        .containsEntry(PgsearchSchemas.ES_TYPE, esType);
    // Converting again changes nothing: the sink converts every record it renders.
    NativeValues values = new NativeValues(DecimalStyle.NUMBER);
    assertThat(values.schema(out.valueSchema())).isSameAs(out.valueSchema());
  }

  @Test
  void nullsStayNullAndDefaultsAreConverted() {
    Schema date =
        SchemaBuilder.int32().name("io.debezium.time.Date").optional().defaultValue(0).build();
    Schema row = SchemaBuilder.struct().name("row").field("d", date).build();

    Struct document =
        (Struct)
            valueTransform(Map.of()).apply(record(row, new Struct(row).put("d", null))).value();

    assertThat(document.getWithoutDefault("d")).isNull();
    assertThat(document.schema().field("d").schema().defaultValue()).isEqualTo("1970-01-01");
  }

  @Test
  void fixedScaleDecimalsStayExactDecimalsOrBecomeStrings() {
    Schema money = Decimal.builder(2).optional().build();
    Schema row = SchemaBuilder.struct().name("row").field("m", money).build();
    SourceRecord in = record(row, new Struct(row).put("m", new BigDecimal("1234.50")));

    SourceRecord asNumber = valueTransform(Map.of()).apply(in);
    SourceRecord asString =
        valueTransform(Map.of(ElasticsearchValues.DECIMAL_FORMAT_CONFIG, "string")).apply(in);

    assertThat(asNumber).isSameAs(in);
    assertThat(((Struct) asString.value()).get("m")).isEqualTo("1234.50");
    assertThat(asString.valueSchema().field("m").schema().type()).isEqualTo(Schema.Type.STRING);
  }

  @Test
  void pointsBecomeGeoPoints() {
    Schema row = SchemaBuilder.struct().name("row").field("p", point()).build();
    Struct value = new Struct(row).put("p", new Struct(point()).put("x", 13.4).put("y", 52.5));

    Struct geo =
        ((Struct) valueTransform(Map.of()).apply(record(row, value)).value()).getStruct("p");

    assertThat(geo.schema().name()).isEqualTo(PgsearchSchemas.GEO_POINT);
    assertThat(geo.getFloat64("lat")).isEqualTo(52.5);
    assertThat(geo.getFloat64("lon")).isEqualTo(13.4);
  }

  @Test
  void arraysAndMapsAreConvertedElementByElement() {
    Schema dates =
        SchemaBuilder.array(named(Schema.Type.INT32, "io.debezium.time.Date")).optional().build();
    Schema jsons =
        SchemaBuilder.map(
                Schema.STRING_SCHEMA, named(Schema.Type.INT64, "io.debezium.time.MicroTime"))
            .optional()
            .build();
    Schema row = SchemaBuilder.struct().name("row").field("ds", dates).field("ts", jsons).build();
    Struct value =
        new Struct(row)
            .put("ds", Arrays.asList(0, null, 1))
            .put("ts", Map.of("noon", 43_200_000_000L));

    Struct document = (Struct) valueTransform(Map.of()).apply(record(row, value)).value();

    assertThat(document.getArray("ds")).containsExactly("1970-01-01", null, "1970-01-02");
    assertThat(document.getMap("ts")).isEqualTo(Map.of("noon", "12:00:00"));
  }

  @Test
  void unchangedSchemasLeaveTheRecordAlone() {
    Schema row = SchemaBuilder.struct().name("row").field("s", Schema.STRING_SCHEMA).build();
    SourceRecord in = record(row, new Struct(row).put("s", "x"));

    assertThat(valueTransform(Map.of()).apply(in)).isSameAs(in);
  }

  @Test
  void derivedSchemasAreCached() {
    Schema row =
        SchemaBuilder.struct()
            .name("row")
            .field("d", named(Schema.Type.INT32, "io.debezium.time.Date"))
            .build();
    ElasticsearchValues<SourceRecord> transform = valueTransform(Map.of());

    Schema first = transform.apply(record(row, new Struct(row).put("d", 1))).valueSchema();
    Schema second = transform.apply(record(row, new Struct(row).put("d", 2))).valueSchema();

    assertThat(second).isSameAs(first);
  }

  @Test
  void anEqualSchemaConvertedElsewhereConvertsToItself() {
    // Each sink task's transforms build their own converted schemas; the conversion the sink
    // shares between tasks must leave every one of them, and its values, as they are.
    Schema row =
        SchemaBuilder.struct()
            .name("row")
            .field("d", named(Schema.Type.INT32, "io.debezium.time.Date"))
            .build();
    Schema firstTask = new NativeValues(DecimalStyle.NUMBER).schema(row);
    Schema secondTask = new NativeValues(DecimalStyle.NUMBER).schema(row);
    NativeValues shared = new NativeValues(DecimalStyle.NUMBER);
    Struct value = new Struct(secondTask).put("d", "2024-02-29");

    assertThat(secondTask).isEqualTo(firstTask).isNotSameAs(firstTask);
    assertThat(shared.schema(firstTask)).isSameAs(firstTask);
    assertThat(shared.schema(secondTask)).isSameAs(secondTask);
    assertThat(shared.value(secondTask, shared.schema(secondTask), value)).isSameAs(value);
  }

  @Test
  void schemalessRecordsAndTombstonesPassUnchanged() {
    ElasticsearchValues<SourceRecord> transform = valueTransform(Map.of());
    SourceRecord schemaless =
        new SourceRecord(null, null, "t", 0, null, null, null, Map.of("d", 19_000));
    SourceRecord tombstone = new SourceRecord(null, null, "t", 0, null, "k", null, null);

    assertThat(transform.apply(schemaless)).isSameAs(schemaless);
    assertThat(transform.apply(tombstone)).isSameAs(tombstone);
  }

  @Test
  void keysAreConvertedByTheKeyVariant() {
    Schema key = SchemaBuilder.struct().name("key").field("id", variableScaleDecimal()).build();
    SourceRecord in =
        new SourceRecord(
            null, null, "t", 0, key, new Struct(key).put("id", variableScale("7.50")), null, null);
    ElasticsearchValues<SourceRecord> transform = new ElasticsearchValues.Key<>();
    transform.configure(Map.of());

    SourceRecord out = transform.apply(in);

    assertThat(((Struct) out.key()).get("id")).isEqualTo("7.50");
    assertThat(out.keySchema().field("id").schema().name()).isEqualTo(PgsearchSchemas.JSON);
  }

  @Test
  void aValueThatDoesNotMatchItsSchemaNamesTheTransform() {
    Schema geometry = geometry();
    Schema row = SchemaBuilder.struct().name("row").field("g", geometry).build();
    Struct value = new Struct(row).put("g", new Struct(geometry).put("wkb", new byte[] {1, 2}));

    assertThatThrownBy(() -> valueTransform(Map.of()).apply(record(row, value)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("ElasticsearchValues$Value")
        .hasMessageContaining("topic 't'");
  }

  private static Schema range(String sourceType, boolean optional) {
    SchemaBuilder builder =
        SchemaBuilder.string()
            .parameter(RangeValues.SOURCE_TYPE_PARAMETER, sourceType)
            .parameter("__debezium.source.column.name", "r");
    return optional ? builder.optional().build() : builder.build();
  }

  /** Debezium's type parameter, PostgreSQL's text, expected JSON (null: no value), ES type. */
  static Stream<Arguments> ranges() {
    return Stream.of(
        Arguments.of("INT4RANGE", "[1,10)", "{\"gte\":1,\"lt\":10}", "integer_range"),
        Arguments.of("INT4RANGE", "(,10)", "{\"lt\":10}", "integer_range"),
        Arguments.of("INT4RANGE", "[-5,)", "{\"gte\":-5}", "integer_range"),
        Arguments.of("INT4RANGE", "(,)", "{}", "integer_range"),
        Arguments.of("INT4RANGE", "empty", null, "integer_range"),
        Arguments.of(
            "INT8RANGE",
            "[-9223372036854775808,9223372036854775807)",
            "{\"gte\":-9223372036854775808,\"lt\":9223372036854775807}",
            "long_range"),
        Arguments.of(
            "NUMRANGE",
            "(0.10,12345678901234567890.123456789]",
            "{\"gt\":0.10,\"lte\":12345678901234567890.123456789}",
            "double_range"),
        Arguments.of("NUMRANGE", "[1.5,infinity]", "{\"gte\":1.5}", "double_range"),
        Arguments.of(
            "DATERANGE",
            "[2024-01-01,2024-02-01)",
            "{\"gte\":\"2024-01-01\",\"lt\":\"2024-02-01\"}",
            "date_range"),
        Arguments.of(
            "daterange", "[-infinity,2024-02-01)", "{\"lt\":\"2024-02-01\"}", "date_range"),
        Arguments.of(
            "TSRANGE",
            "[\"2024-01-01 00:00:00\",\"2024-02-01 12:30:00.5\"]",
            "{\"gte\":\"2024-01-01T00:00:00\",\"lte\":\"2024-02-01T12:30:00.5\"}",
            "date_range"),
        Arguments.of(
            "TSTZRANGE",
            "[\"2024-01-01 00:00:00+00\",\"2024-02-01 00:00:00+00\")",
            "{\"gte\":\"2024-01-01T00:00:00Z\",\"lt\":\"2024-02-01T00:00:00Z\"}",
            "date_range"),
        Arguments.of(
            "TSTZRANGE",
            "(\"2024-01-01 02:00:00.123456+02\",\"2024-01-01 00:00:00-05:30\")",
            "{\"gt\":\"2024-01-01T00:00:00.123456Z\",\"lt\":\"2024-01-01T05:30:00Z\"}",
            "date_range"),
        Arguments.of(
            "TSTZRANGE", "(\"2024-01-01 00:00:00+00\",infinity)",
            "{\"gt\":\"2024-01-01T00:00:00Z\"}", "date_range"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("ranges")
  void rangesBecomeElasticsearchRangeObjects(
      String sourceType, String text, String expected, String esType) {
    Schema row = SchemaBuilder.struct().name("row").field("r", range(sourceType, false)).build();

    SourceRecord out = valueTransform(Map.of()).apply(record(row, new Struct(row).put("r", text)));

    Struct document = (Struct) out.value();
    Schema schema = document.schema().field("r").schema();
    assertThat(document.get("r")).isEqualTo(expected);
    assertThat(schema.name()).isEqualTo(PgsearchSchemas.JSON);
    assertThat(schema.isOptional()).isTrue();
    assertThat(schema.parameters())
        .containsEntry(PgsearchSchemas.ES_TYPE, esType)
        .containsEntry(RangeValues.SOURCE_TYPE_PARAMETER, sourceType);
  }

  @Test
  void nullRangesStayNullAndOtherPropagatedTypesStayText() {
    Schema row =
        SchemaBuilder.struct()
            .name("row")
            .field("r", range("INT4RANGE", true))
            .field("v", range("VARCHAR", true))
            .build();

    Struct document =
        (Struct)
            valueTransform(Map.of())
                .apply(record(row, new Struct(row).put("r", null).put("v", "[1,2)")))
                .value();

    assertThat(document.get("r")).isNull();
    assertThat(document.get("v")).isEqualTo("[1,2)");
    assertThat(document.schema().field("v").schema()).isSameAs(row.field("v").schema());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badRanges")
  void badRangeTextNamesTheFieldAndTheTransformButNotTheValue(String sourceType, String text) {
    Schema row =
        SchemaBuilder.struct().name("row").field("during", range(sourceType, true)).build();

    assertThatThrownBy(
            () -> valueTransform(Map.of()).apply(record(row, new Struct(row).put("during", text))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("ElasticsearchValues$Value")
        .hasMessageContaining("field 'during'")
        .hasMessageContaining(sourceType.toLowerCase(java.util.Locale.ROOT))
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain(text);
              }
            });
  }

  static Stream<Arguments> badRanges() {
    return Stream.of(
        Arguments.of("INT4RANGE", "secret-1,10"),
        Arguments.of("INT4RANGE", "[1,secret)"),
        Arguments.of("INT4RANGE", "[1,10"),
        Arguments.of("INT4RANGE", "[1,10)secret"),
        Arguments.of("NUMRANGE", "[1.5;2.5]"),
        Arguments.of("DATERANGE", "[2024-13-01,)"),
        Arguments.of("TSTZRANGE", "[\"2024-01-01 00:00:00\",)"),
        Arguments.of("TSRANGE", "[\"2024-01-01 00:00:00,)"));
  }

  @Test
  void invalidDecimalFormatNamesTheKey() {
    assertThatThrownBy(() -> valueTransform(Map.of(ElasticsearchValues.DECIMAL_FORMAT_CONFIG, "x")))
        .hasMessageContaining(ElasticsearchValues.DECIMAL_FORMAT_CONFIG)
        .hasMessageContaining("number, string");
  }

  static byte[] wkbPoint(ByteOrder order, int type, double... coordinates) {
    ByteBuffer buffer = ByteBuffer.allocate(5 + 8 * coordinates.length).order(order);
    buffer.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 0)).putInt(type);
    for (double c : coordinates) {
      buffer.putDouble(c);
    }
    return buffer.array();
  }

  private static ElasticsearchValues<SourceRecord> valueTransform(Map<String, String> config) {
    ElasticsearchValues<SourceRecord> transform = new ElasticsearchValues.Value<>();
    transform.configure(config);
    return transform;
  }

  private static SourceRecord record(Schema schema, Struct value) {
    return new SourceRecord(null, null, "t", 0, null, null, schema, value);
  }
}
