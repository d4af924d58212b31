package io.pgsearch.connect.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.transforms.DecimalStyle;
import io.pgsearch.connect.transforms.NativeValues;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class MappingInferenceTest {
  private static final String TEMPLATES =
      "\"dynamic_templates\":["
          + "{\"json_long_as_double\":{\"match_mapping_type\":\"long\",\"mapping\":{\"type\":\"double\"}}},"
          + "{\"json_double_as_double\":{\"match_mapping_type\":\"double\",\"mapping\":{\"type\":\"double\"}}}],";

  /** An index the sink creates maps dynamic numbers (inside JSON values) as doubles. */
  @Test
  void numbersInsideJsonValuesAreDoubles() {
    Schema schema =
        SchemaBuilder.struct()
            .field("doc", SchemaBuilder.string().name("io.debezium.data.Json").build())
            .build();

    assertThat(MappingInference.forNewIndex(DocumentJson.documentSchema(schema)).toString())
        .isEqualTo("{" + TEMPLATES + "\"properties\":{}}");
    assertThat(MappingInference.mappings(DocumentJson.documentSchema(schema)).toString())
        .as("not when mapping new columns of an existing index")
        .isEqualTo("{\"properties\":{}}");
  }

  @Test
  void infersMappingsFromTheSchema() {
    Schema schema =
        SchemaBuilder.struct()
            .field("name", Schema.STRING_SCHEMA)
            .field("count", Schema.INT64_SCHEMA)
            .field("price", Decimal.schema(2))
            .field("at", Timestamp.SCHEMA)
            .field("day", org.apache.kafka.connect.data.Date.SCHEMA)
            .field("ok", Schema.BOOLEAN_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field(
                "where",
                SchemaBuilder.struct()
                    .field("lat", Schema.FLOAT64_SCHEMA)
                    .field("lon", Schema.FLOAT64_SCHEMA)
                    .build())
            .field("json", SchemaBuilder.string().name("io.debezium.data.Json").build())
            .field("owner", SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build())
            .build();

    assertThat(inferred(schema))
        .isEqualTo(
            "{\"properties\":{"
                + "\"name\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}},"
                + "\"count\":{\"type\":\"long\"},"
                + "\"price\":{\"type\":\"double\",\"fields\":{\"exact\":{\"type\":\"keyword\"}}},"
                + "\"at\":{\"type\":\"date\"},"
                + "\"day\":{\"type\":\"date\"},"
                + "\"ok\":{\"type\":\"boolean\"},"
                + "\"tags\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}},"
                + "\"where\":{\"type\":\"geo_point\"},"
                + "\"owner\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}}}");
  }

  /**
   * Every Debezium type the conversion table knows is mapped by the type it names, whether the
   * record went through ElasticsearchValues or reaches the sink raw.
   */
  @Test
  void debeziumTypesAreMappedAsTheConversionTableNamesThem() {
    Schema schema =
        SchemaBuilder.struct()
            .field("day", named(SchemaBuilder.int32(), "io.debezium.time.Date"))
            .field("at", named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"))
            .field("zoned", named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
            .field("clock", named(SchemaBuilder.int64(), "io.debezium.time.MicroTime"))
            .field("zoned_clock", named(SchemaBuilder.string(), "io.debezium.time.ZonedTime"))
            .field("took", named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration"))
            .field("ref", named(SchemaBuilder.string(), "io.debezium.data.Uuid"))
            .field("mood", named(SchemaBuilder.string(), "io.debezium.data.Enum"))
            .field("amount", variableScaleDecimal())
            .field("doc", named(SchemaBuilder.string(), "io.debezium.data.Json"))
            .build();
    String expected =
        "{\"properties\":{"
            + "\"day\":{\"type\":\"date\"},"
            + "\"at\":{\"type\":\"date\"},"
            + "\"zoned\":{\"type\":\"date\"},"
            + "\"clock\":{\"type\":\"keyword\"},"
            + "\"zoned_clock\":{\"type\":\"keyword\"},"
            + "\"took\":{\"type\":\"keyword\"},"
            + "\"ref\":{\"type\":\"keyword\"},"
            + "\"mood\":{\"type\":\"keyword\"},"
            + "\"amount\":{\"type\":\"double\",\"fields\":{\"exact\":{\"type\":\"keyword\"}}}}}";

    assertThat(inferred(schema)).as("raw").isEqualTo(expected);
    Schema transformed = new NativeValues(DecimalStyle.NUMBER).schema(schema);
    assertThat(inferred(transformed)).as("after ElasticsearchValues").isEqualTo(expected);
  }

  private static Schema named(SchemaBuilder builder, String name) {
    return builder.name(name).build();
  }

  private static Schema variableScaleDecimal() {
    return SchemaBuilder.struct()
        .name("io.debezium.data.VariableScaleDecimal")
        .field("scale", Schema.INT32_SCHEMA)
        .field("value", Schema.BYTES_SCHEMA)
        .build();
  }

  /** As the index manager infers them: from the schema of the rendered document. */
  private static String inferred(Schema schema) {
    return MappingInference.mappings(DocumentJson.documentSchema(schema)).toString();
  }

  @Test
  void anExplicitElasticsearchTypeParameterWins() {
    Schema schema =
        SchemaBuilder.struct()
            .field("seats", range("integer_range"))
            .field("ids", range("long_range"))
            .field("price", range("double_range"))
            .field("during", range("date_range"))
            .build();

    assertThat(inferred(schema))
        .isEqualTo(
            "{\"properties\":{"
                + "\"seats\":{\"type\":\"integer_range\"},"
                + "\"ids\":{\"type\":\"long_range\"},"
                + "\"price\":{\"type\":\"double_range\"},"
                + "\"during\":{\"type\":\"date_range\","
                + "\"format\":\"strict_date_optional_time||strict_date\"}}}");
  }

  private static Schema range(String esType) {
    return SchemaBuilder.string()
        .name("io.pgsearch.Json")
        .optional()
        .parameter("pgsearch.es.type", esType)
        .build();
  }

  /** An array of structs marked nested (a document's related rows) is a nested field. */
  @Test
  void anArrayMarkedNestedIsANestedField() {
    Schema item =
        SchemaBuilder.struct()
            .field("quantity", Schema.INT32_SCHEMA)
            .field("day", SchemaBuilder.int32().name("io.debezium.time.Date").build())
            .build();
    Schema schema =
        SchemaBuilder.struct()
            .field(
                "items", SchemaBuilder.array(item).parameter("pgsearch.es.type", "nested").build())
            .field("plain", SchemaBuilder.array(item).build())
            .build();

    assertThat(inferred(schema))
        .isEqualTo(
            "{\"properties\":{"
                + "\"items\":{\"type\":\"nested\",\"properties\":{"
                + "\"quantity\":{\"type\":\"integer\"},\"day\":{\"type\":\"date\"}}},"
                + "\"plain\":{\"type\":\"object\",\"properties\":{"
                + "\"quantity\":{\"type\":\"integer\"},\"day\":{\"type\":\"date\"}}}}}");
  }

  @Test
  void schemalessOrNonStructValuesAreLeftToDynamicMapping() {
    assertThat(MappingInference.mappings(DocumentJson.documentSchema(null))).isNull();
    assertThat(MappingInference.mappings(Schema.STRING_SCHEMA)).isNull();
  }
}
