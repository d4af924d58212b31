package io.pgsearch.connect.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class MappingInferenceTest {

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

    assertThat(MappingInference.mappings(schema).toString())
        .isEqualTo(
            "{\"properties\":{"
                + "\"name\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}},"
                + "\"count\":{\"type\":\"long\"},"
                + "\"price\":{\"type\":\"double\",\"fields\":{\"exact\":{\"type\":\"keyword\"}}},"
                + "\"at\":{\"type\":\"date\"},"
                + "\"day\":{\"type\":\"date\",\"format\":\"strict_date\"},"
                + "\"ok\":{\"type\":\"boolean\"},"
                + "\"tags\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\",\"ignore_above\":256}}},"
                + "\"where\":{\"type\":\"geo_point\"},"
                + "\"owner\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}}}");
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

    assertThat(MappingInference.mappings(schema).toString())
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

  @Test
  void schemalessOrNonStructValuesAreLeftToDynamicMapping() {
    assertThat(MappingInference.mappings(null)).isNull();
    assertThat(MappingInference.mappings(Schema.STRING_SCHEMA)).isNull();
  }
}
