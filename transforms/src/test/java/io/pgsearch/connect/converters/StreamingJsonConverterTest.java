package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsearch.connect.transforms.StructValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamingJsonConverterTest {

  /** Every combination of the settings that change the bytes or the values. */
  static Stream<Arguments> settings() {
    List<Arguments> all = new ArrayList<>();
    for (boolean schemas : new boolean[] {true, false}) {
      for (String decimals : new String[] {"BASE64", "NUMERIC"}) {
        for (boolean replaceNull : new boolean[] {false, true}) {
          all.add(Arguments.of(schemas, decimals, replaceNull));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "schemas {0}, decimals {1}, replace null {2}")
  @MethodSource("settings")
  void changeEventsAreWrittenAndReadAsJsonConverterDoes(
      boolean schemas, String decimals, boolean replaceNull) {
    Equivalence values = Equivalence.of(schemas, decimals, replaceNull);
    Equivalence keys =
        new Equivalence(
            true, Map.of("schemas.enable", String.valueOf(schemas), "decimal.format", decimals));
    for (SourceRecord event : ChangeEventCorpus.changeEvents()) {
      keys.roundTrip(event.keySchema(), event.key());
      values.roundTrip(event.valueSchema(), event.value());
    }
  }

  @ParameterizedTest(name = "schemas {0}, decimals {1}, replace null {2}")
  @MethodSource("settings")
  void documentsAreWrittenAndReadAsJsonConverterDoes(
      boolean schemas, String decimals, boolean replaceNull) {
    Equivalence values = Equivalence.of(schemas, decimals, replaceNull);
    for (String style : new String[] {"number", "string"}) {
      for (SourceRecord document : ChangeEventCorpus.documents(style)) {
        values.roundTrip(document.valueSchema(), document.value());
      }
    }
  }

  @Test
  void aTopicWrittenByOneIsReadByTheOther() {
    Equivalence both = Equivalence.of(true, "BASE64", false);
    for (SourceRecord event : ChangeEventCorpus.changeEvents()) {
      byte[] ours = both.ours.fromConnectData("t", event.valueSchema(), event.value());
      SchemaAndValue kafkaReads = both.kafka.toConnectData("t", ours);
      SchemaAndValue oursReads = both.ours.toConnectData("t", ours);
      assertThat(oursReads.schema()).isEqualTo(kafkaReads.schema());
      assertThat(Equivalence.comparable(oursReads.value()))
          .isEqualTo(Equivalence.comparable(kafkaReads.value()));
    }
  }

  @Test
  void aNullWithADefaultIsKeptOrReplacedAsConfigured() {
    Schema schema =
        SchemaBuilder.struct()
            .field("quantity", SchemaBuilder.int32().optional().defaultValue(7).build())
            .build();
    Struct row = new Struct(schema).put("quantity", null);
    byte[] kept = Equivalence.of(true, "BASE64", false).roundTrip(schema, row);
    assertThat(Equivalence.text(kept)).contains("\"payload\":{\"quantity\":null}");
    byte[] replaced = Equivalence.of(true, "BASE64", true).roundTrip(schema, row);
    assertThat(Equivalence.text(replaced)).contains("\"payload\":{\"quantity\":7}");
    Equivalence.of(true, "BASE64", true).sameRead(kept);
    Equivalence.of(true, "BASE64", false).sameRead(kept);
  }

  /** Envelopes as other writers may shape them: the full parser's path. */
  @Test
  void envelopesInOtherShapesAreReadAsJsonConverterReadsThem() {
    Equivalence both = Equivalence.of(true, "NUMERIC", false);
    String schema =
        "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"2\"},\"field\":\"price\"}],\"optional\":false}";
    for (String json :
        List.of(
            "{\"payload\":{\"id\":1,\"price\":1.5},\"schema\":" + schema + "}",
            " {\n \"schema\" : "
                + schema
                + " ,\n \"payload\" : { \"price\" : \"AJY=\", \"id\" : 01 }\n}",
            "{\"schema\":"
                + schema
                + ",\"payload\":{\"id\":2,\"extra\":[1,{\"a\":2}],\"price\":null}}",
            "{\"schema\":" + schema + ",\"payload\":{\"id\":3,\"id\":4}}",
            "{\"schema\":" + schema + ",\"payload\":{\"\\u0069d\":6,\"pr\\u0069ce\":\"AJY=\"}}",
            "{\"schema\":" + schema + ",\"payload\":{\"id\":5}} trailing",
            "{\"schema\":{\"type\":\"int64\"},\"payload\":12345678901}",
            "{\"schema\":{\"type\":\"string\",\"optional\":true},\"payload\":null}",
            "{\"schema\":{\"type\":\"array\",\"items\":{\"type\":\"double\"}},\"payload\":[1,2.5,-0.0,1e-400,-1e-400,1e400]}",
            "{\"schema\":null,\"payload\":{\"a\":[1,2.5,\"x\",null,true,{\"b\":12345678901234567890}]}}",
            "{\"schema\":null,\"payload\":3.0}",
            "{\"schema\":{\"type\":\"float\"},\"payload\":0.1}",
            "{\"schema\":{\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"},\"payload\":-1}",
            "{\"schema\":{\"type\":\"map\",\"keys\":{\"type\":\"int8\"},\"values\":{\"type\":\"boolean\"}},\"payload\":[[1,true],[-2,false]]}",
            "{\"schema\":{\"type\":\"int32\",\"default\":5,\"optional\":true,\"version\":3,\"doc\":\"d\"},\"payload\":null}")) {
      both.sameRead(json.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void schemalessDocumentsAreReadAsJsonConverterReadsThem() {
    Equivalence both = Equivalence.of(false, "BASE64", false);
    for (String json :
        List.of(
            "{\"a\":1,\"b\":2.50,\"c\":\"x\",\"d\":null,\"e\":[true,false],\"f\":{\"g\":-0.0}}",
            "12345678901234567890123",
            "-1e-400",
            "0.1",
            "\"text\"",
            "null",
            "[]",
            "",
            "  ",
            "{\"a\":1} {\"b\":2}",
            "{\"dup\":1,\"dup\":2}")) {
      both.sameRead(json.getBytes(StandardCharsets.UTF_8));
    }
    both.sameRead(null);
  }

  @Test
  void nullsAndTombstonesAreWhatJsonConverterMakesOfThem() {
    for (boolean schemas : new boolean[] {true, false}) {
      Equivalence both = Equivalence.of(schemas, "BASE64", false);
      assertThat(both.ours.fromConnectData("t", null, null)).isNull();
      assertThat(both.ours.toConnectData("t", null)).isEqualTo(SchemaAndValue.NULL);
      both.roundTrip(Schema.OPTIONAL_STRING_SCHEMA, null);
      both.roundTrip(SchemaBuilder.int32().optional().defaultValue(1).build(), null);
      both.roundTrip(null, Map.of("k", List.of(1L, 2.5, "s")));
    }
  }

  @Test
  void schemaContentFixesTheSchemaOfEveryRecord() {
    Map<String, String> configs =
        Map.of(
            "schemas.enable", "true",
            "schema.content",
                "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"n\"}]}");
    Equivalence both = new Equivalence(false, configs);
    both.sameRead("{\"n\":42}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nonFiniteFloatsAreReadAsWrittenWhereJsonConverterReadsZero() {
    Equivalence both = Equivalence.of(true, "BASE64", false);
    Schema schema = SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build();
    List<Double> values = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    byte[] bytes = both.kafka.fromConnectData("t", schema, values);
    assertThat(both.ours.fromConnectData("t", schema, values)).isEqualTo(bytes);
    assertThat(both.ours.toConnectData("t", bytes).value()).isEqualTo(values);
    assertThat(both.kafka.toConnectData("t", bytes).value()).isEqualTo(List.of(0.0, 0.0, 0.0));
  }

  @Test
  void writeErrorsNameTheTopicAndAreJsonConvertersOtherwise() {
    Equivalence both = Equivalence.of(true, "BASE64", false);
    Schema schema = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
    Struct missing = new Struct(schema);
    assertThatThrownBy(() -> both.kafka.fromConnectData("t", schema, missing))
        .isInstanceOf(DataException.class);
    assertThatThrownBy(() -> both.ours.fromConnectData("shop.public.items", schema, missing))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic shop.public.items")
        .hasMessageContaining("null value for field that is required");
    assertThatThrownBy(() -> both.ours.fromConnectData("t", Schema.INT32_SCHEMA, "secret"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Invalid type for INT32")
        .hasMessageNotContaining("secret");
  }

  /** The generator is kept from record to record: a failed record must leave nothing in it. */
  @Test
  void aRecordWrittenAfterAFailedOneIsWrittenAsJsonConverterWritesIt() {
    Equivalence both = Equivalence.of(true, "BASE64", false);
    Schema inner = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
    Schema outer =
        SchemaBuilder.struct().field("name", Schema.STRING_SCHEMA).field("inner", inner).build();
    Struct broken = new Struct(outer).put("name", "half");
    // Inner's required n left null (past Struct.put's check): the write fails inside the record.
    StructValues.putChecked(broken, outer.field("inner"), new Struct(inner));
    List<SourceRecord> events = ChangeEventCorpus.changeEvents();
    for (int i = 0; i < events.size(); i++) {
      SourceRecord event = events.get(i);
      both.roundTrip(event.valueSchema(), event.value());
      if (i % 3 == 0) {
        assertThatThrownBy(() -> both.ours.fromConnectData("t", outer, broken))
            .isInstanceOf(DataException.class);
      }
    }
    both.roundTrip(
        outer, new Struct(outer).put("name", "whole").put("inner", new Struct(inner).put("n", 1)));
    both.ours.close();
    both.roundTrip(
        outer, new Struct(outer).put("name", "closed").put("inner", new Struct(inner).put("n", 2)));
  }

  @Test
  void reportsItsVersionAndJsonConvertersSettings() {
    StreamingJsonConverter converter = new StreamingJsonConverter();
    assertThat(converter.version()).isNotBlank();
    assertThat(converter.config().names())
        .contains(
            "schemas.enable",
            "schemas.cache.size",
            "decimal.format",
            "replace.null.with.default",
            "converter.type");
  }

  @Test
  void aSmallSchemaCacheStillReadsEverySchema() {
    Map<String, String> configs = Map.of("schemas.cache.size", "1");
    Equivalence both = new Equivalence(false, configs);
    Equivalence none = new Equivalence(false, Map.of("schemas.cache.size", "0"));
    for (int round = 0; round < 3; round++) {
      for (SourceRecord event : ChangeEventCorpus.changeEvents()) {
        both.roundTrip(event.valueSchema(), event.value());
        both.roundTrip(event.keySchema(), event.key());
        none.roundTrip(event.keySchema(), event.key());
      }
    }
  }

  /** Debezium's envelopes carry their source block under an equal schema that is another object. */
  @Test
  void aStructUnderAnEqualSchemaObjectIsWrittenAsJsonConverterDoesEveryTime() {
    Schema envelope = SchemaBuilder.struct().field("source", sourceBlock(false)).build();
    Schema blockCopy = sourceBlock(false);
    Equivalence values = Equivalence.of(true, "BASE64", false);
    for (long lsn = 1; lsn <= 3; lsn++) {
      Struct source = new Struct(blockCopy).put("lsn", lsn).put("table", "items");
      values.roundTrip(envelope, new Struct(envelope).put("source", source));
    }
  }

  @Test
  void aStructUnderAnotherSchemaIsRefusedAfterAnEqualOneWasWritten() {
    Equivalence values = Equivalence.of(true, "BASE64", false);
    Struct source = new Struct(sourceBlock(false)).put("lsn", 1L).put("table", "items");
    values.roundTrip(sourceBlock(false), source);

    for (var converter : List.of(values.kafka, values.ours)) {
      assertThatThrownBy(() -> converter.fromConnectData("t", sourceBlock(true), source))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("Mismatching schema");
    }
  }

  private static Schema sourceBlock(boolean optionalTable) {
    return SchemaBuilder.struct()
        .name("io.debezium.connector.postgresql.Source")
        .field("lsn", Schema.INT64_SCHEMA)
        .field("table", optionalTable ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA)
        .build();
  }
}
