package io.pgsearch.connect.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the value PostgreSQL holds (as the checker's SELECT renders it to JSON) with the value
 * in a document, after the conversions the transforms make: equal when they denote the same value.
 */
final class FieldComparison {
  /** Debezium's {@code MicroDuration} counts a month as 30.4375 days. */
  private static final BigDecimal SECONDS_PER_MONTH = BigDecimal.valueOf(2_629_800L);

  private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400L);
  private static final Pattern PERIOD =
      Pattern.compile(
          "P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)W)?(?:(-?\\d+)D)?"
              + "(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?");

  private static final Pattern HOURS_ONLY_OFFSET = Pattern.compile(".*[+-]\\d\\d");

  /** Numbers by exact value, everything else by Jackson's equality. */
  private static final Comparator<JsonNode> JSON_VALUES =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private FieldComparison() {}

  /** Whether the row's value and the document's value are the same; null equals absent. */
  static boolean same(ValueKind kind, JsonNode row, JsonNode document) {
    boolean rowNull = row == null || row.isNull() || row.isMissingNode();
    boolean documentNull = document == null || document.isNull() || document.isMissingNode();
    if (rowNull || documentNull) {
      return rowNull && documentNull;
    }
    if (kind == ValueKind.JSON) {
      return row.equals(JSON_VALUES, document);
    }
    if (kind == ValueKind.INTERVAL && row.isArray() && row.size() == 3 && row.get(0).isNumber()) {
      return sameInterval(row, document);
    }
    if (row.isArray() || document.isArray()) {
      return row.isArray() && document.isArray() && sameElements(kind, row, document);
    }
    if (row.isObject() || document.isObject()) {
      return row.isObject() && document.isObject() && sameFields(kind, row, document);
    }
    if (row.asText().equals(document.asText())) {
      return true;
    }
    try {
      return sameScalar(kind, row.asText(), document.asText());
    } catch (RuntimeException e) {
      // Not parseable as the column's type: the document holds something else.
      return false;
    }
  }

  private static boolean sameElements(ValueKind kind, JsonNode row, JsonNode document) {
    if (row.size() != document.size()) {
      return false;
    }
    for (int i = 0; i < row.size(); i++) {
      if (!same(kind, row.get(i), document.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameFields(ValueKind kind, JsonNode row, JsonNode document) {
    if (row.size() != document.size()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = row.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!document.has(field.getKey())
          || !same(kind, field.getValue(), document.get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameScalar(ValueKind kind, String row, String document) {
    switch (kind) {
      case NUMBER:
        return new BigDecimal(row).compareTo(new BigDecimal(document)) == 0;
      case REAL:
        return Float.parseFloat(row) == Float.parseFloat(document);
      case DOUBLE:
        return Double.parseDouble(row) == Double.parseDouble(document);
      case INSTANT:
        return OffsetDateTime.parse(row)
            .toInstant()
            .equals(OffsetDateTime.parse(document).toInstant());
      case LOCAL_DATE_TIME:
        return LocalDateTime.parse(row).equals(LocalDateTime.parse(document));
      case DATE:
        return LocalDate.parse(row).equals(LocalDate.parse(document));
      case TIME:
        return LocalTime.parse(row).equals(LocalTime.parse(document));
      case OFFSET_TIME:
        return utc(row).equals(utc(document));
      case BASE64:
        return Arrays.equals(
            Base64.getMimeDecoder().decode(row), Base64.getMimeDecoder().decode(document));
      default:
        // BOOLEAN, TEXT, and JSON or INTERVAL values of an unexpected shape: the text decides.
        return false;
    }
  }

  private static OffsetTime utc(String time) {
    // PostgreSQL writes a whole-hour offset of timetz as "+02", java.time wants "+02:00".
    String iso = HOURS_ONLY_OFFSET.matcher(time).matches() ? time + ":00" : time;
    return OffsetTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
  }

  /**
   * The row side is {@code [months, days, seconds]}. Debezium's numeric mode gives a duration
   * ({@code PT76H5M6.789S}) with 30.4375-day months; its string mode an ISO-8601 period ({@code
   * P1Y2M3DT4H5M6.789S}) that keeps months and days apart.
   */
  private static boolean sameInterval(JsonNode row, JsonNode document) {
    BigDecimal months = row.get(0).decimalValue();
    BigDecimal days = row.get(1).decimalValue();
    BigDecimal seconds = row.get(2).decimalValue();
    String text = document.asText();
    Matcher period = PERIOD.matcher(text);
    try {
      if (text.startsWith("PT") || text.startsWith("-PT")) {
        BigDecimal expected =
            months.multiply(SECONDS_PER_MONTH).add(days.multiply(SECONDS_PER_DAY)).add(seconds);
        Duration duration = Duration.parse(text);
        BigDecimal actual =
            BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        return expected.compareTo(actual) == 0;
      }
      if (period.matches()) {
        BigDecimal actualMonths = number(period.group(1)).multiply(BigDecimal.valueOf(12));
        actualMonths = actualMonths.add(number(period.group(2)));
        BigDecimal actualDays =
            number(period.group(3)).multiply(BigDecimal.valueOf(7)).add(number(period.group(4)));
        BigDecimal actualSeconds =
            number(period.group(5))
                .multiply(BigDecimal.valueOf(3600))
                .add(number(period.group(6)).multiply(BigDecimal.valueOf(60)))
                .add(number(period.group(7)));
        return months.compareTo(actualMonths) == 0
            && days.compareTo(actualDays) == 0
            && seconds.compareTo(actualSeconds) == 0;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  private static BigDecimal number(String group) {
    return group == null ? BigDecimal.ZERO : new BigDecimal(group);
  }
}
