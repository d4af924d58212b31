package io.pgsearch.connect.transforms;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * ISO-8601 text for each temporal representation Debezium's PostgreSQL connector emits, by schema
 * name, under every {@code time.precision.mode} and {@code interval.handling.mode}. Types that
 * Debezium already emits as ISO-8601 text (ZonedTimestamp, ZonedTime, Interval, Iso*) are not here:
 * they pass unchanged.
 *
 * <p>PostgreSQL {@code timestamp} (without time zone) is written without an offset, as PostgreSQL
 * shows it; Elasticsearch reads such a value as UTC. Fractions are written with as many digits as
 * they need (none, 3, 6 or 9).
 */
final class TemporalValues {
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /** Schema name to converter of the Connect value. */
  static final Map<String, Function<Object, String>> BY_SCHEMA_NAME =
      Map.ofEntries(
          Map.entry("io.debezium.time.Date", v -> date(((Number) v).longValue())),
          Map.entry("io.debezium.time.Time", v -> time(((Number) v).longValue() * 1_000_000L)),
          Map.entry("io.debezium.time.MicroTime", v -> time(((Number) v).longValue() * 1_000L)),
          Map.entry("io.debezium.time.NanoTime", v -> time(((Number) v).longValue())),
          Map.entry(
              "io.debezium.time.Timestamp",
              v -> timestamp(((Number) v).longValue(), ChronoUnit.MILLIS)),
          Map.entry(
              "io.debezium.time.MicroTimestamp",
              v -> timestamp(((Number) v).longValue(), ChronoUnit.MICROS)),
          Map.entry(
              "io.debezium.time.NanoTimestamp",
              v -> timestamp(((Number) v).longValue(), ChronoUnit.NANOS)),
          Map.entry(
              "io.debezium.time.MicroDuration",
              v -> Duration.of(((Number) v).longValue(), ChronoUnit.MICROS).toString()),
          Map.entry("io.debezium.time.NanoDuration", v -> Duration.ofNanos((Long) v).toString()),
          Map.entry(
              org.apache.kafka.connect.data.Date.LOGICAL_NAME,
              v -> date(Math.floorDiv(((java.util.Date) v).getTime(), 86_400_000L))),
          Map.entry(
              org.apache.kafka.connect.data.Time.LOGICAL_NAME,
              v -> time(((java.util.Date) v).getTime() * 1_000_000L)),
          Map.entry(
              org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME,
              v -> timestamp(((java.util.Date) v).getTime(), ChronoUnit.MILLIS)));

  /** Names of the times of day and durations: keywords in Elasticsearch, not dates. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "io.debezium.time.Time",
          "io.debezium.time.MicroTime",
          "io.debezium.time.NanoTime",
          "io.debezium.time.MicroDuration",
          "io.debezium.time.NanoDuration",
          org.apache.kafka.connect.data.Time.LOGICAL_NAME);

  private TemporalValues() {}

  /**
   * The Elasticsearch field type of a converted value of a name in {@link #BY_SCHEMA_NAME}: {@code
   * date} for dates and timestamps, {@code keyword} for times of day and durations (PostgreSQL's
   * {@code 24:00:00} is no Elasticsearch time).
   */
  static String esType(String name) {
    return KEYWORDS.contains(name) ? "keyword" : "date";
  }

  private static String date(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).format(DateTimeFormatter.ISO_LOCAL_DATE);
  }

  private static String time(long nanoOfDay) {
    // PostgreSQL allows 24:00:00, which LocalTime does not.
    if (nanoOfDay == NANOS_PER_DAY) {
      return "24:00:00";
    }
    return LocalTime.ofNanoOfDay(nanoOfDay).format(DateTimeFormatter.ISO_LOCAL_TIME);
  }

  private static String timestamp(long amount, ChronoUnit unit) {
    long perSecond = ChronoUnit.SECONDS.getDuration().toNanos() / unit.getDuration().toNanos();
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(amount, perSecond),
            Math.floorMod(amount, perSecond) * unit.getDuration().toNanos());
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
  }
}
