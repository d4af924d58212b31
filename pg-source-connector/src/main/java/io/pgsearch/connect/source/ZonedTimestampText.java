package io.pgsearch.connect.source;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Debezium's string for a {@code timestamptz} value ({@code io.debezium.time.ZonedTimestamp}),
 * written character by character for the common case: an instant of the years 1 to 9999, at UTC.
 * Debezium parses PostgreSQL's text with a {@code DateTimeFormatter} and formats with three new
 * ones per value when the column has a precision; in a snapshot that was a tenth of the worker's
 * CPU. Every other form answers null, and the caller asks Debezium's own code.
 *
 * <p>The result is Debezium's exactly: {@code yyyy-MM-ddTHH:mm:ss}, then the fraction, then {@code
 * Z}. With a fraction width from 1 to 9 (the column's precision), exactly that many digits,
 * truncated; with any other width ({@code ISO_OFFSET_DATE_TIME}), the digits of a non-zero fraction
 * without trailing zeros, none for zero.
 */
final class ZonedTimestampText {
  private static final int SECONDS_PER_DAY = 86_400;
  private static final int MAX_OFFSET_HOURS = 18;
  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private ZonedTimestampText() {}

  /**
   * Debezium's string for PostgreSQL's ISO text of a {@code timestamptz}, {@code yyyy-MM-dd
   * HH:mm:ss[.f…]±HH[:mm]}, years 1 to 9999; null for any other text (infinity, BC, a year of five
   * digits, an offset with seconds, anything PostgreSQL would not write).
   */
  static String ofPostgresText(String text, int width) {
    int length = text.length();
    if (length < 22
        || !digits(text, 0, 4)
        || text.charAt(4) != '-'
        || !digits(text, 5, 2)
        || text.charAt(7) != '-'
        || !digits(text, 8, 2)
        || text.charAt(10) != ' '
        || !digits(text, 11, 2)
        || text.charAt(13) != ':'
        || !digits(text, 14, 2)
        || text.charAt(16) != ':'
        || !digits(text, 17, 2)) {
      return null;
    }
    int at = 19;
    int nano = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < length && isDigit(text.charAt(at))) {
        at++;
      }
      int count = at - start;
      if (count == 0 || count > 9) {
        return null;
      }
      nano = number(text, start, count) * POWERS_OF_TEN[9 - count];
    }
    int offset = offsetSeconds(text, at);
    if (offset == Integer.MIN_VALUE) {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 1
        || month < 1
        || month > 12
        || day < 1
        || day > Month.of(month).length(Year.isLeap(year))
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    long local =
        LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY
            + hour * 3600L
            + minute * 60L
            + second;
    return ofUtc(local - offset, nano, width);
  }

  /**
   * The offset {@code ±HH[:mm]} that ends the text at {@code at}, in seconds east of UTC; {@link
   * Integer#MIN_VALUE} for anything else.
   */
  private static int offsetSeconds(String text, int at) {
    int length = text.length();
    if (at + 3 != length && at + 6 != length) {
      return Integer.MIN_VALUE;
    }
    char sign = text.charAt(at);
    if ((sign != '+' && sign != '-') || !digits(text, at + 1, 2)) {
      return Integer.MIN_VALUE;
    }
    int hours = number(text, at + 1, 2);
    int minutes = 0;
    if (at + 6 == length) {
      if (text.charAt(at + 3) != ':' || !digits(text, at + 4, 2)) {
        return Integer.MIN_VALUE;
      }
      minutes = number(text, at + 4, 2);
    }
    if (minutes > 59 || hours > MAX_OFFSET_HOURS || (hours == MAX_OFFSET_HOURS && minutes > 0)) {
      return Integer.MIN_VALUE;
    }
    int seconds = hours * 3600 + minutes * 60;
    return sign == '-' ? -seconds : seconds;
  }

  /**
   * Debezium's string for an instant (seconds since the epoch, nanoseconds) at UTC; null when its
   * year is outside 1 to 9999.
   */
  static String ofUtc(long epochSecond, int nano, int width) {
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
    int year = date.getYear();
    if (year < 1 || year > 9999) {
      return null;
    }
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
    StringBuilder text = new StringBuilder(32);
    pad(text, year, 4).append('-');
    pad(text, date.getMonthValue(), 2).append('-');
    pad(text, date.getDayOfMonth(), 2).append('T');
    pad(text, secondOfDay / 3600, 2).append(':');
    pad(text, secondOfDay / 60 % 60, 2).append(':');
    pad(text, secondOfDay % 60, 2);
    fraction(text, nano, width);
    return text.append('Z').toString();
  }

  /** As Debezium's formatter: a fixed width of 1 to 9 digits, truncated; else only those needed. */
  private static void fraction(StringBuilder text, int nano, int width) {
    if (width >= 1 && width <= 9) {
      text.append('.');
      pad(text, nano / POWERS_OF_TEN[9 - width], width);
      return;
    }
    if (nano == 0) {
      return;
    }
    int digits = 9;
    while (nano % 10 == 0) {
      nano /= 10;
      digits--;
    }
    text.append('.');
    pad(text, nano, digits);
  }

  private static StringBuilder pad(StringBuilder text, int value, int width) {
    for (int power = POWERS_OF_TEN[width - 1]; power > 1 && value < power; power /= 10) {
      text.append('0');
    }
    return text.append(value);
  }

  private static boolean digits(String text, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int number(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }
}
