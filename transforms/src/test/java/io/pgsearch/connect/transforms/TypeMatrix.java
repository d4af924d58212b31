package io.pgsearch.connect.transforms;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The PostgreSQL types the transforms support, with a value of each, the JSON the Elasticsearch
 * sink writes for it and the field mapping it infers. {@code TypeMatrixIT} captures a row of these
 * values with Debezium and asserts each document value; the e2e {@code TypeMatrixPipelineIT} sends
 * the row through the shipped connectors into Elasticsearch and asserts each value and mapping;
 * {@code TypeMatrixDocsTest} checks that docs/transforms.md shows this very table.
 */
public final class TypeMatrix {
  /** Run before the table is created: the types and extensions its columns use. */
  public static final List<String> SETUP =
      List.of("CREATE TYPE mood AS ENUM ('sad', 'happy')", "CREATE EXTENSION IF NOT EXISTS hstore");

  /** Debezium settings under which a column may differ from the default expectation. */
  static final String DOUBLE = "decimal.handling.mode=double";

  static final String STRING = "decimal.handling.mode=string";
  static final String CONNECT = "time.precision.mode=connect";

  /**
   * One column: its name, type, SQL literal, expected JSON, the Elasticsearch field type the sink
   * infers for it with the shipped configs (see {@link #MAPPING_LEGEND}), and expectations under
   * other modes.
   */
  public record Column(
      String name,
      String type,
      String literal,
      String expected,
      String mapping,
      Map<String, String> otherwise) {
    /** The expected JSON under these Debezium settings. */
    public String expected(List<String> modes) {
      for (String mode : modes) {
        if (otherwise.containsKey(mode)) {
          return otherwise.get(mode);
        }
      }
      return expected;
    }
  }

  /** What the short mapping names of the table stand for. */
  public static final String MAPPING_LEGEND =
      "`text`: text with a `keyword` subfield (ignore_above 256); `exact`: double with an `exact`"
          + " keyword subfield holding every digit; `dynamic`: left to Elasticsearch's dynamic"
          + " mapping (JSON objects); any other name is the Elasticsearch field type.";

  public static final List<Column> COLUMNS =
      List.of(
          column("c_smallint", "smallint", "-32768", "-32768", "short"),
          column("c_integer", "integer", "2147483647", "2147483647", "integer"),
          column("c_bigint", "bigint", "9223372036854775807", "9223372036854775807", "long"),
          column("c_real", "real", "1.5", "1.5", "float"),
          column(
              "c_double", "double precision", "3.141592653589793", "3.141592653589793", "double"),
          column(
              "c_numeric_fixed",
              "numeric(14,4)",
              "1234567890.0123",
              "1234567890.0123",
              "exact",
              Map.of(DOUBLE, "1.2345678900123E9", STRING, "\"1234567890.0123\"")),
          column(
              "c_numeric",
              "numeric",
              "123456789012345678901234567890.123456789",
              "123456789012345678901234567890.123456789",
              "exact",
              Map.of(
                  DOUBLE,
                  "1.2345678901234568E29",
                  STRING,
                  "\"123456789012345678901234567890.123456789\"")),
          column(
              "c_money",
              "money",
              "1234.56",
              "1234.56",
              "exact",
              Map.of(DOUBLE, "1234.56", STRING, "\"1234.56\"")),
          column("c_boolean", "boolean", "true", "true", "boolean"),
          column("c_text", "text", "'Grüße, \"world\"'", "\"Grüße, \\\"world\\\"\"", "text"),
          column("c_varchar", "varchar(20)", "'abc'", "\"abc\"", "text"),
          column("c_char", "char(5)", "'ab'", "\"ab   \"", "text"),
          column("c_bytea", "bytea", "'\\xdeadbeef'", "\"3q2+7w==\"", "binary"),
          column("c_date", "date", "'2024-02-29'", "\"2024-02-29\"", "date"),
          column(
              "c_time",
              "time",
              "'13:45:30.123456'",
              "\"13:45:30.123456\"",
              "keyword",
              Map.of(CONNECT, "\"13:45:30.123\"")),
          column("c_time_ms", "time(3)", "'13:45:30.5'", "\"13:45:30.5\"", "keyword"),
          // PostgreSQL's end of day, which java.time has no LocalTime for.
          column("c_time_2400", "time", "'24:00:00'", "\"24:00:00\"", "keyword"),
          column("c_timetz", "timetz", "'13:45:30.5+02'", "\"11:45:30.5Z\"", "keyword"),
          column(
              "c_timestamp",
              "timestamp",
              "'2024-02-29 13:45:30.123456'",
              "\"2024-02-29T13:45:30.123456\"",
              "date",
              Map.of(CONNECT, "\"2024-02-29T13:45:30.123\"")),
          column(
              "c_timestamp_ms",
              "timestamp(3)",
              "'1969-07-20 20:17:40.5'",
              "\"1969-07-20T20:17:40.5\"",
              "date"),
          column(
              "c_timestamptz",
              "timestamptz",
              "'2024-02-29 13:45:30.123456+02'",
              "\"2024-02-29T11:45:30.123456Z\"",
              "date"),
          column("c_interval", "interval", "'3 days 04:05:06.789'", "\"PT76H5M6.789S\"", "keyword"),
          column(
              "c_json",
              "json",
              // Arrays of one JSON type: Elasticsearch maps an array by its first element.
              "'{\"a\": [1, 2.5], \"b\": {\"c\": null}, \"s\": [\"x\"]}'",
              "{\"a\":[1,2.5],\"b\":{\"c\":null},\"s\":[\"x\"]}",
              "dynamic"),
          column(
              "c_jsonb",
              "jsonb",
              "'{\"b\": {\"c\": true}, \"a\": [1, 2.5]}'",
              "{\"a\":[1,2.5],\"b\":{\"c\":true}}",
              "dynamic"),
          column(
              "c_uuid",
              "uuid",
              "'0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1'",
              "\"0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1\"",
              "keyword"),
          column("c_enum", "mood", "'happy'", "\"happy\"", "keyword"),
          column("c_inet", "inet", "'192.168.0.1/24'", "\"192.168.0.1/24\"", "text"),
          column("c_cidr", "cidr", "'10.0.0.0/8'", "\"10.0.0.0/8\"", "text"),
          column("c_macaddr", "macaddr", "'08:00:2b:01:02:03'", "\"08:00:2b:01:02:03\"", "text"),
          column("c_int4range", "int4range", "'[1,10)'", "{\"gte\":1,\"lt\":10}", "integer_range"),
          column("c_int4range_empty", "int4range", "'empty'", "null", "integer_range"),
          column(
              "c_int8range",
              "int8range",
              "'(,9223372036854775807)'",
              "{\"lt\":9223372036854775807}",
              "long_range"),
          column(
              "c_numrange",
              "numrange",
              "'(0.5,123456789012345678901234567890.5]'",
              "{\"gt\":0.5,\"lte\":123456789012345678901234567890.5}",
              "double_range"),
          column(
              "c_daterange",
              "daterange",
              "'[2024-01-01,2024-02-01)'",
              "{\"gte\":\"2024-01-01\",\"lt\":\"2024-02-01\"}",
              "date_range"),
          column(
              "c_tsrange",
              "tsrange",
              "'[2024-01-01 10:00,2024-01-01 12:30:00.25]'",
              "{\"gte\":\"2024-01-01T10:00:00\",\"lte\":\"2024-01-01T12:30:00.25\"}",
              "date_range"),
          column(
              "c_tstzrange",
              "tstzrange",
              "'[2024-01-01 00:00:00+02,infinity)'",
              "{\"gte\":\"2023-12-31T22:00:00Z\"}",
              "date_range"),
          column("c_point", "point", "'(13.4,52.5)'", "{\"lat\":52.5,\"lon\":13.4}", "geo_point"),
          column(
              "c_hstore",
              "hstore",
              "'\"size\"=>\"L\", \"colour\"=>\"red\"'",
              "{\"colour\":\"red\",\"size\":\"L\"}",
              "dynamic"),
          column("c_xml", "xml", "'<a>1</a>'", "\"<a>1</a>\"", "text"),
          column("c_int_array", "integer[]", "'{1,2,3}'", "[1,2,3]", "integer"),
          column("c_text_array", "text[]", "'{\"a\",\"b c\"}'", "[\"a\",\"b c\"]", "text"),
          column(
              "c_numeric_array",
              "numeric[]",
              "'{1.5,2.25}'",
              "[1.5,2.25]",
              "exact",
              Map.of(DOUBLE, "[1.5,2.25]", STRING, "[\"1.5\",\"2.25\"]")),
          column(
              "c_date_array",
              "date[]",
              "'{2024-01-01,2024-12-31}'",
              "[\"2024-01-01\",\"2024-12-31\"]",
              "date"),
          column(
              "c_timestamptz_array",
              "timestamptz[]",
              "'{\"2024-01-01 00:00:00+00\"}'",
              "[\"2024-01-01T00:00:00.000000Z\"]",
              "date"),
          column(
              "c_uuid_array",
              "uuid[]",
              "'{0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1}'",
              "[\"0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1\"]",
              "keyword"));

  private TypeMatrix() {}

  private static Column column(
      String name, String type, String literal, String expected, String mapping) {
    return new Column(name, type, literal, expected, mapping, Map.of());
  }

  private static Column column(
      String name,
      String type,
      String literal,
      String expected,
      String mapping,
      Map<String, String> otherwise) {
    return new Column(name, type, literal, expected, mapping, otherwise);
  }

  /** {@code CREATE TABLE types} with an {@code int} primary key {@code id} and every column. */
  public static String createTable() {
    return "CREATE TABLE types (id int PRIMARY KEY, "
        + COLUMNS.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "))
        + ")";
  }

  /** Inserts row {@code id} of {@code types} with every column's value. */
  public static String insert(int id) {
    return "INSERT INTO types (id, "
        + COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "))
        + ") VALUES ("
        + id
        + ", "
        + COLUMNS.stream()
            .map(c -> "(" + c.literal() + ")::" + c.type())
            .collect(Collectors.joining(", "))
        + ")";
  }

  /** The table as it appears in docs/transforms.md. */
  static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(
        "| column | PostgreSQL type | value | document JSON | mapping | under other Debezium modes"
            + " |\n");
    out.append("| --- | --- | --- | --- | --- | --- |\n");
    for (Column column : COLUMNS) {
      String otherwise =
          column.otherwise().entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> "`" + e.getKey() + "`: `" + e.getValue() + "`")
              .collect(Collectors.joining("<br>"));
      out.append("| ")
          .append(column.name())
          .append(" | ")
          .append(column.type())
          .append(" | `")
          .append(column.literal().replace("|", "\\|"))
          .append("` | `")
          .append(column.expected())
          .append("` | ")
          .append(column.mapping())
          .append(" | ")
          .append(otherwise)
          .append(" |\n");
    }
    out.append("\nMapping: ").append(MAPPING_LEGEND).append("\n");
    return out.toString();
  }
}
