package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.relational.Column;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.TableId;
import io.debezium.relational.ValueConverter;
import io.debezium.spi.converter.ConvertedField;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.time.ZonedTimestamp;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * The converter against Debezium's own conversion (its {@code PostgresValueConverter}, built as the
 * connector builds it), value by value: what a topic holds must not change with the converter.
 */
class TimestamptzConverterTest {
  private static final TableId TABLE = new TableId("shop", "public", "orders");
  private static final long SEED = 20261127L;

  /** Debezium's converter, as the PostgreSQL connector makes it (UTC default offset). */
  private static final PostgresValueConverter DEBEZIUM =
      PostgresValueConverter.of(
          new PostgresConnectorConfig(
              Configuration.from(
                  Map.of(
                      "topic.prefix", "shop",
                      "database.hostname", "db",
                      "database.user", "u",
                      "database.dbname", "shop",
                      "time.precision.mode", "adaptive_time_microseconds"))),
          StandardCharsets.UTF_8,
          null);

  /** A column as Debezium describes it: {@code scale} null and {@code length} -1 mean unset. */
  private static Column column(Integer scale, int length, boolean optional) {
    return Column.editor()
        .name("placed_at")
        .type("timestamptz")
        .nativeType(1184)
        .jdbcType(Types.TIMESTAMP_WITH_TIMEZONE)
        .scale(scale)
        .length(length)
        .optional(optional)
        .create();
  }

  /** Debezium's registry of custom converters, with ours alone in it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static CustomConverterRegistry registry() {
    CustomConverter converter = new TimestamptzConverter();
    return new CustomConverterRegistry(
        List.of((CustomConverter<SchemaBuilder, ConvertedField>) converter));
  }

  /** Ours and Debezium's conversion of one column, with the default its schema would carry. */
  private record Pair(ValueConverter ours, ValueConverter debezium, Schema ourSchema) {
    static Pair of(Column described, Object defaultValue) {
      // Debezium sets a schema default only for a column that has a default expression.
      Column column =
          defaultValue == null
              ? described
              : described.edit().defaultValueExpression("'2020-01-01 00:00:00+00'").create();
      CustomConverterRegistry registry = registry();
      SchemaBuilder ourSchema =
          registry.registerConverterFor(TABLE, column, defaultValue).orElseThrow();
      SchemaBuilder debeziumSchema = DEBEZIUM.schemaBuilder(column);
      for (SchemaBuilder schema : List.of(ourSchema, debeziumSchema)) {
        if (column.isOptional()) {
          schema.optional();
        }
        if (defaultValue != null) {
          schema.defaultValue(defaultValue);
        }
      }
      ValueConverter debezium =
          DEBEZIUM.converter(column, new Field(column.name(), 0, debeziumSchema.build()));
      return new Pair(
          registry.getValueConverter(TABLE, column).orElseThrow(), debezium, ourSchema.build());
    }

    void assertSame(Object value) {
      assertThat(ours.convert(value)).as("%s", value).isEqualTo(debezium.convert(value));
    }
  }

  /** Every way Debezium learns a column's fraction width, and its widths. */
  private static List<Column> columns(boolean optional) {
    List<Column> columns = new ArrayList<>();
    columns.add(column(null, -1, optional));
    for (int width = 0; width <= 10; width++) {
      columns.add(column(width, 35, optional)); // snapshot: the precision is the scale
      columns.add(column(null, width, optional)); // streaming: the length
    }
    return columns;
  }

  @Test
  void postgresTextAndStreamedInstantsBecomeDebeziumsStringsForEveryWidth() {
    Random random = new Random(SEED);
    int[] offsets = {0, 3600, -3600, 19800, -28800, 20700, 50400, -43200, 49500, -12600};
    for (Column column : columns(true)) {
      Pair pair = Pair.of(column, null);
      for (int i = 0; i < 5_000; i++) {
        long epochSecond =
            LocalDateTime.of(1, 1, 2, 0, 0).toEpochSecond(ZoneOffset.UTC)
                + (long) (random.nextDouble() * 315_500_000_000L);
        int micros = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsets[random.nextInt(offsets.length)]);
        OffsetDateTime local =
            OffsetDateTime.ofInstant(
                java.time.Instant.ofEpochSecond(epochSecond, micros * 1000L), offset);
        pair.assertSame(postgresText(local));
        pair.assertSame(local.withOffsetSameInstant(ZoneOffset.UTC));
        pair.assertSame(
            OffsetDateTime.ofInstant(
                java.time.Instant.ofEpochSecond(epochSecond, random.nextInt(1_000_000_000)),
                ZoneOffset.UTC));
      }
    }
  }

  @Test
  void edgesGoThroughDebeziumsOwnCodeAndGiveItsStrings() {
    List<Object> values =
        List.of(
            "infinity",
            "-infinity",
            "0001-01-01 00:00:00+00",
            "0001-01-01 00:30:00+01",
            "0001-01-01 00:00:00+00 BC",
            "9999-12-31 23:59:59.999999+00",
            "9999-12-31 23:59:59.999999-01",
            "10000-01-01 00:00:00+00",
            "1850-06-01 12:00:00+00:19:32",
            "1900-01-01 00:00:00-00:20",
            "2024-02-29 23:30:00-01",
            "2026-11-27 15:42:50.000001+00",
            "2026-11-27 15:42:50.1+05:45",
            "2026-11-27 15:42:50.123456789+00",
            "2026-11-27 15:42:50+14",
            PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME,
            PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME,
            OffsetDateTime.of(2026, 11, 27, 15, 42, 50, 0, ZoneOffset.ofHours(2)),
            OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            OffsetDateTime.of(0, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            new java.util.Date(1_764_258_170_123L));
    for (Column column : columns(true)) {
      Pair pair = Pair.of(column, null);
      values.forEach(pair::assertSame);
    }
  }

  @Test
  void textTheFastPathDoesNotKnowIsLeftToDebezium() {
    for (String text :
        List.of(
            "infinity",
            "0001-01-01 00:00:00+00 BC",
            "10000-01-01 00:00:00+00",
            "1850-06-01 12:00:00+00:19:32",
            "2026-02-30 00:00:00+00",
            "2026-11-27 24:00:00+00",
            "2026-11-27 15:42:50.+00",
            "2026-11-27 15:42:50.1234567890+00",
            "2026-11-27 15:42:50+19",
            "2026-11-27 15:42:50",
            "2026-11-27T15:42:50+00",
            "0000-01-01 00:00:00+00")) {
      assertThat(ZonedTimestampText.ofPostgresText(text, 6)).as(text).isNull();
    }
    assertThat(ZonedTimestampText.ofPostgresText("0001-01-01 00:30:00+01", 6))
        .as("year 0 at UTC")
        .isNull();
    assertThat(ZonedTimestampText.ofPostgresText("2026-11-27 15:42:50.5-05:30", 3))
        .isEqualTo("2026-11-27T21:12:50.500Z");
  }

  @Test
  void nullsBecomeWhatDebeziumGivesNullableAndNotNullColumnsWithAndWithoutDefaults() {
    String converted = "2020-01-01T00:00:00.000000Z";
    for (boolean optional : List.of(true, false)) {
      for (Object defaultValue : java.util.Arrays.asList(null, converted)) {
        Pair pair = Pair.of(column(6, 35, optional), defaultValue);
        pair.assertSame(null);
      }
    }
    assertThat(Pair.of(column(6, 35, false), null).ours().convert(null))
        .isEqualTo(TimestamptzConverter.FALLBACK)
        .isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void aDefaultDebeziumAlreadyConvertedPassesUnchanged() {
    // Debezium converts a column's default itself, then hands the string to custom converters.
    Column column = column(6, 35, false);
    ValueConverter debezium =
        DEBEZIUM.converter(
            column, new Field("placed_at", 0, DEBEZIUM.schemaBuilder(column).build()));
    Object converted = debezium.convert(OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    Pair pair = Pair.of(column, converted);
    assertThat(pair.ours().convert(converted)).isEqualTo(converted);
    assertThat(pair.ourSchema().defaultValue()).isEqualTo("2020-01-01T00:00:00.000000Z");
  }

  @Test
  void theSchemaIsDebeziumsAndOnlyTimestamptzColumnsAreClaimed() {
    Column column = column(3, 35, true);
    assertThat(Pair.of(column, null).ourSchema())
        .isEqualTo(DEBEZIUM.schemaBuilder(column).optional().build())
        .extracting(Schema::name)
        .isEqualTo(ZonedTimestamp.SCHEMA_NAME);
    CustomConverterRegistry registry = registry();
    Column timestamp =
        Column.editor()
            .name("created_at")
            .type("timestamp")
            .nativeType(1114)
            .jdbcType(Types.TIMESTAMP)
            .create();
    assertThat(registry.registerConverterFor(TABLE, timestamp, null)).isEmpty();
  }

  @Test
  void aValueOfNoKnownTypeIsNullWhereAllowedElseAnErrorNamingTheColumn() {
    TimestamptzConverter.ColumnConversion nullable =
        new TimestamptzConverter.ColumnConversion("public.orders.placed_at", 6, true, null);
    assertThat(nullable.convert(42L)).isNull();
    TimestamptzConverter.ColumnConversion notNull =
        new TimestamptzConverter.ColumnConversion("public.orders.placed_at", 6, false, null);
    assertThatThrownBy(() -> notNull.convert(42L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public.orders.placed_at")
        .hasMessageContaining("java.lang.Long")
        .hasMessageNotContaining("42");
  }

  /** PostgreSQL's text of a timestamptz: the fraction without trailing zeros, the offset short. */
  private static String postgresText(OffsetDateTime time) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                "%04d-%02d-%02d %02d:%02d:%02d",
                time.getYear(),
                time.getMonthValue(),
                time.getDayOfMonth(),
                time.getHour(),
                time.getMinute(),
                time.getSecond()));
    if (time.getNano() != 0) {
      String fraction = String.format("%06d", time.getNano() / 1000).replaceAll("0+$", "");
      text.append('.').append(fraction);
    }
    int seconds = time.getOffset().getTotalSeconds();
    text.append(seconds < 0 ? '-' : '+');
    seconds = Math.abs(seconds);
    text.append(String.format("%02d", seconds / 3600));
    if (seconds % 3600 != 0) {
      text.append(String.format(":%02d", seconds / 60 % 60));
    }
    return text.toString();
  }
}
