package io.pgsearch.connect.source;

import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.connector.postgresql.connection.DateTimeFormat;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import io.debezium.time.ZonedTimestamp;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.postgresql.core.Oid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Debezium custom converter ({@code converters}) for {@code timestamptz} columns that writes
 * Debezium's own values, schema and strings, at a fraction of the CPU: the common values go through
 * {@link ZonedTimestampText}, every other one through the same Debezium code as without this
 * converter ({@code PostgresValueConverter}'s conversion of a timestamp with a time zone in the
 * {@code adaptive*} and {@code connect} time modes, the modes pgsearch allows).
 *
 * <p>Values arrive as PostgreSQL's text (snapshot), an {@link OffsetDateTime} at UTC (streaming),
 * or, for a column's default, the string Debezium already made of it, which passes unchanged.
 */
public final class TimestamptzConverter
    implements CustomConverter<SchemaBuilder, RelationalColumn> {
  private static final Logger LOG = LoggerFactory.getLogger(TimestamptzConverter.class);

  /** Debezium's value for a NOT NULL column read as null when the column has no default. */
  static final String FALLBACK =
      ZonedTimestamp.toIsoString(
          OffsetDateTime.of(LocalDate.ofEpochDay(0), LocalTime.MIDNIGHT, ZoneOffset.UTC),
          ZoneOffset.UTC,
          null,
          null);

  @Override
  public void configure(Properties props) {
    // Nothing to configure: the column tells everything.
  }

  @Override
  public void converterFor(
      RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    if (column.nativeType() != Oid.TIMESTAMPTZ) {
      return;
    }
    ColumnConversion conversion =
        new ColumnConversion(
            column.dataCollection() + "." + column.name(),
            fractionWidth(column),
            column.isOptional(),
            column.hasDefaultValue() ? column.defaultValue() : null);
    registration.register(ZonedTimestamp.builder(), conversion::convert);
  }

  /**
   * Debezium's fraction width: the scale, which a snapshot's schema sets to the precision, else the
   * length (from the replication stream), else none ({@code -1}: as many digits as needed).
   */
  static int fractionWidth(RelationalColumn column) {
    if (column.scale().isPresent()) {
      return column.scale().getAsInt();
    }
    return column.length().orElse(-1);
  }

  /** The conversion of one column's values. */
  record ColumnConversion(String column, int width, boolean optional, Object defaultValue) {

    Object convert(Object value) {
      if (value == null) {
        // As Debezium: null where allowed, else the schema's default, else the fallback.
        return optional ? null : defaultValue != null ? defaultValue : FALLBACK;
      }
      String text = null;
      if (value instanceof String postgres) {
        if (postgres.indexOf('T') >= 0) {
          return postgres; // a default, already Debezium's string
        }
        text = ZonedTimestampText.ofPostgresText(postgres, width);
      } else if (value instanceof OffsetDateTime time && ZoneOffset.UTC.equals(time.getOffset())) {
        text = ZonedTimestampText.ofUtc(time.toEpochSecond(), time.getNano(), width);
      }
      return text != null ? text : asDebezium(value);
    }

    /** Debezium's own conversion, step by step, for the values the fast path leaves. */
    Object asDebezium(Object value) {
      Object data = value;
      if (data instanceof String postgres) {
        if (PostgresValueConverter.POSITIVE_INFINITY_TIMESTAMP_PG_STRING.equals(postgres)
            || PostgresValueConverter.NEGATIVE_INFINITY_TIMESTAMP_PG_STRING.equals(postgres)) {
          return postgres;
        }
        data =
            DateTimeFormat.get()
                .timestampWithTimeZoneToOffsetDateTime(postgres)
                .withOffsetSameInstant(ZoneOffset.UTC);
      }
      if (data instanceof Date date) {
        data = OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
      }
      if (PostgresValueConverter.POSITIVE_INFINITY_OFFSET_DATE_TIME.equals(data)) {
        return PostgresValueConverter.POSITIVE_INFINITY_TIMESTAMP_PG_STRING;
      }
      if (PostgresValueConverter.NEGATIVE_INFINITY_OFFSET_DATE_TIME.equals(data)) {
        return PostgresValueConverter.NEGATIVE_INFINITY_TIMESTAMP_PG_STRING;
      }
      if (data instanceof OffsetDateTime time) {
        data = time.toZonedDateTime();
      }
      try {
        return ZonedTimestamp.toIsoString(data, ZoneOffset.UTC, null, width);
      } catch (IllegalArgumentException e) {
        return unknown(data);
      }
    }

    /** As Debezium: null for a nullable column (with a warning), else an error; never the value. */
    private Object unknown(Object data) {
      String type = data.getClass().getName();
      if (optional) {
        LOG.warn("Unexpected value of {} for the timestamptz column {}: left null", type, column);
        return null;
      }
      throw new IllegalArgumentException(
          "Unexpected value of " + type + " for the timestamptz column " + column);
    }
  }
}
