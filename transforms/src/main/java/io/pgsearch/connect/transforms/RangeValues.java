package io.pgsearch.connect.transforms;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * PostgreSQL range text ({@code [1,10)}, {@code ["2024-01-01 00:00:00+00",)}, {@code empty}) as the
 * JSON object of an Elasticsearch range field ({@code {"gte":1,"lt":10}}). Debezium emits ranges as
 * unnamed strings; only the {@code __debezium.source.column.type} schema parameter, which Debezium
 * adds for the types listed in {@code datatype.propagate.source.type}, tells them apart.
 */
final class RangeValues {
  /** The schema parameter Debezium's PropagateSourceMetadataToSchemaParameter sets. */
  static final String SOURCE_TYPE_PARAMETER = "__debezium.source.column.type";

  /** A PostgreSQL range type: its Elasticsearch field type and how one bound becomes JSON. */
  private record RangeType(String esType, UnaryOperator<String> bound) {}

  private static final Map<String, RangeType> TYPES =
      Map.of(
          "int4range", new RangeType("integer_range", RangeValues::integer),
          "int8range", new RangeType("long_range", RangeValues::integer),
          // Elasticsearch has no exact decimal range; the document source keeps the exact number.
          "numrange", new RangeType("double_range", RangeValues::decimal),
          "daterange", new RangeType("date_range", RangeValues::date),
          "tsrange", new RangeType("date_range", RangeValues::timestamp),
          "tstzrange", new RangeType("date_range", RangeValues::timestampWithZone));

  private RangeValues() {}

  /** The lower-case PostgreSQL range type of a STRING schema; null when it is not a range. */
  static String rangeType(Schema schema) {
    // A named string is no range column: a converted range is JSON (PgsearchSchemas.JSON).
    if (schema.type() != Schema.Type.STRING
        || schema.name() != null
        || schema.parameters() == null) {
      return null;
    }
    String type = schema.parameters().get(SOURCE_TYPE_PARAMETER);
    if (type == null) {
      return null;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    return TYPES.containsKey(lower) ? lower : null;
  }

  /** The Elasticsearch field type of a range type from {@link #rangeType(Schema)}. */
  static String esType(String rangeType) {
    return TYPES.get(rangeType).esType();
  }

  /**
   * The JSON object for PostgreSQL's text of a range; null for {@code empty}, which no
   * Elasticsearch range can hold. The exception's message never carries the value.
   */
  static String toJson(String rangeType, String text) {
    String trimmed = text.strip();
    if (trimmed.equalsIgnoreCase("empty")) {
      return null;
    }
    try {
      return new Parser(trimmed, TYPES.get(rangeType).bound()).parse();
    } catch (DataException | DateTimeException | NumberFormatException e) {
      // The cause's message may quote the value: leave it out.
      throw new DataException(
          "not a valid PostgreSQL "
              + rangeType
              + " text: expected 'empty' or '[' or '(', lower bound, ',', upper bound, ']' or ')'"
              + " (an omitted or infinity bound is unbounded)");
    }
  }

  /** PostgreSQL's range_parse: brackets, bounds quoted with "" or escaped with backslashes. */
  private static final class Parser {
    private final String text;
    private final UnaryOperator<String> bound;
    private int pos;

    Parser(String text, UnaryOperator<String> bound) {
      this.text = text;
      this.bound = bound;
    }

    String parse() {
      char open = next();
      if (open != '[' && open != '(') {
        throw new DataException("bad opening bracket");
      }
      String lower = bound();
      if (next() != ',') {
        throw new DataException("no comma");
      }
      String upper = bound();
      char close = next();
      if ((close != ']' && close != ')') || pos != text.length()) {
        throw new DataException("bad closing bracket");
      }
      StringBuilder json = new StringBuilder("{");
      append(json, open == '[' ? "gte" : "gt", lower);
      append(json, close == ']' ? "lte" : "lt", upper);
      return json.append('}').toString();
    }

    private void append(StringBuilder json, String key, String value) {
      if (value == null) {
        return;
      }
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(key).append("\":").append(bound.apply(value));
    }

    /** The bound up to the next unquoted ',' or closing bracket; null when empty (unbounded). */
    private String bound() {
      StringBuilder out = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (!quoted && (c == ',' || c == ']' || c == ')')) {
          break;
        }
        pos++;
        any = true;
        if (c == '\\') {
          out.append(next());
        } else if (c == '"') {
          if (quoted && pos < text.length() && text.charAt(pos) == '"') {
            out.append('"');
            pos++;
          } else {
            quoted = !quoted;
          }
        } else {
          out.append(c);
        }
      }
      if (quoted || pos >= text.length()) {
        throw new DataException("unterminated bound");
      }
      if (!any) {
        return null;
      }
      String value = out.toString();
      // infinity and -infinity are values in PostgreSQL, but unbounded is what they mean.
      return value.equalsIgnoreCase("infinity") || value.equalsIgnoreCase("-infinity")
          ? null
          : value;
    }

    private char next() {
      if (pos >= text.length()) {
        throw new DataException("truncated");
      }
      return text.charAt(pos++);
    }
  }

  private static String integer(String text) {
    return new BigInteger(text.strip()).toString();
  }

  private static String decimal(String text) {
    return new BigDecimal(text.strip()).toPlainString();
  }

  private static String date(String text) {
    return quoted(LocalDate.parse(text.strip()).format(DateTimeFormatter.ISO_LOCAL_DATE));
  }

  private static String timestamp(String text) {
    return quoted(localDateTime(text).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
  }

  private static String timestampWithZone(String text) {
    // PostgreSQL writes the session's offset as +HH, +HH:MM or +HH:MM:SS.
    String t = text.strip();
    int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
    if (sign <= t.indexOf(' ')) {
      throw new DataException("no offset");
    }
    OffsetDateTime time =
        localDateTime(t.substring(0, sign)).atOffset(ZoneOffset.of(t.substring(sign)));
    return quoted(
        time.withOffsetSameInstant(ZoneOffset.UTC)
                .toLocalDateTime()
                .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            + "Z");
  }

  private static LocalDateTime localDateTime(String text) {
    return LocalDateTime.parse(text.strip().replace(' ', 'T'));
  }

  private static String quoted(String iso) {
    return '"' + iso + '"';
  }
}
