package io.pgsearch.connect.transforms;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The PostgreSQL types the transforms support, with a value of each and the JSON the Elasticsearch
 * sink writes for it. {@code TypeMatrixIT} captures a row of these values with Debezium and asserts
 * each one; {@code TypeMatrixDocsTest} checks that docs/transforms.md shows this very table.
 */
final class TypeMatrix {
  /** Debezium settings under which a column may differ from the default expectation. */
  static final String DOUBLE = "decimal.handling.mode=double";

  static final String STRING = "decimal.handling.mode=string";
  static final String CONNECT = "time.precision.mode=connect";

  /** One column: its name, type, SQL literal, expected JSON, and expectations under other modes. */
  record Column(
      String name, String type, String literal, String expected, Map<String, String> otherwise) {
    String expected(List<String> modes) {
      for (String mode : modes) {
        if (otherwise.containsKey(mode)) {
          return otherwise.get(mode);
        }
      }
      return expected;
    }
  }

  static final List<Column> COLUMNS =
      List.of(
          column("c_smallint", "smallint", "-32768", "-32768"),
          column("c_integer", "integer", "2147483647", "2147483647"),
          column("c_bigint", "bigint", "9223372036854775807", "9223372036854775807"),
          column("c_real", "real", "1.5", "1.5"),
          column("c_double", "double precision", "3.141592653589793", "3.141592653589793"),
          column(
              "c_numeric_fixed",
              "numeric(14,4)",
              "1234567890.0123",
              "1234567890.0123",
              Map.of(DOUBLE, "1.2345678900123E9", STRING, "\"1234567890.0123\"")),
          column(
              "c_numeric",
              "numeric",
              "123456789012345678901234567890.123456789",
              "123456789012345678901234567890.123456789",
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
              Map.of(DOUBLE, "1234.56", STRING, "\"1234.56\"")),
          column("c_boolean", "boolean", "true", "true"),
          column("c_text", "text", "'Grüße, \"world\"'", "\"Grüße, \\\"world\\\"\""),
          column("c_varchar", "varchar(20)", "'abc'", "\"abc\""),
          column("c_char", "char(5)", "'ab'", "\"ab   \""),
          column("c_bytea", "bytea", "'\\xdeadbeef'", "\"3q2+7w==\""),
          column("c_date", "date", "'2024-02-29'", "\"2024-02-29\""),
          column(
              "c_time",
              "time",
              "'13:45:30.123456'",
              "\"13:45:30.123456\"",
              Map.of(CONNECT, "\"13:45:30.123\"")),
          column("c_time_ms", "time(3)", "'13:45:30.5'", "\"13:45:30.5\""),
          column("c_timetz", "timetz", "'13:45:30.5+02'", "\"11:45:30.5Z\""),
          column(
              "c_timestamp",
              "timestamp",
              "'2024-02-29 13:45:30.123456'",
              "\"2024-02-29T13:45:30.123456\"",
              Map.of(CONNECT, "\"2024-02-29T13:45:30.123\"")),
          column(
              "c_timestamp_ms",
              "timestamp(3)",
              "'1969-07-20 20:17:40.5'",
              "\"1969-07-20T20:17:40.5\""),
          column(
              "c_timestamptz",
              "timestamptz",
              "'2024-02-29 13:45:30.123456+02'",
              "\"2024-02-29T11:45:30.123456Z\""),
          column("c_interval", "interval", "'3 days 04:05:06.789'", "\"PT76H5M6.789S\""),
          column(
              "c_json",
              "json",
              "'{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}'",
              "{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null}}"),
          column(
              "c_jsonb",
              "jsonb",
              "'{\"b\": {\"c\": true}, \"a\": [1, 2.5]}'",
              "{\"a\":[1,2.5],\"b\":{\"c\":true}}"),
          column(
              "c_uuid",
              "uuid",
              "'0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1'",
              "\"0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1\""),
          column("c_enum", "mood", "'happy'", "\"happy\""),
          column("c_inet", "inet", "'192.168.0.1/24'", "\"192.168.0.1/24\""),
          column("c_cidr", "cidr", "'10.0.0.0/8'", "\"10.0.0.0/8\""),
          column("c_macaddr", "macaddr", "'08:00:2b:01:02:03'", "\"08:00:2b:01:02:03\""),
          column("c_int4range", "int4range", "'[1,10)'", "{\"gte\":1,\"lt\":10}"),
          column("c_int4range_empty", "int4range", "'empty'", "null"),
          column(
              "c_int8range",
              "int8range",
              "'(,9223372036854775807)'",
              "{\"lt\":9223372036854775807}"),
          column(
              "c_numrange",
              "numrange",
              "'(0.5,123456789012345678901234567890.5]'",
              "{\"gt\":0.5,\"lte\":123456789012345678901234567890.5}"),
          column(
              "c_daterange",
              "daterange",
              "'[2024-01-01,2024-02-01)'",
              "{\"gte\":\"2024-01-01\",\"lt\":\"2024-02-01\"}"),
          column(
              "c_tsrange",
              "tsrange",
              "'[2024-01-01 10:00,2024-01-01 12:30:00.25]'",
              "{\"gte\":\"2024-01-01T10:00:00\",\"lte\":\"2024-01-01T12:30:00.25\"}"),
          column(
              "c_tstzrange",
              "tstzrange",
              "'[2024-01-01 00:00:00+02,infinity)'",
              "{\"gte\":\"2023-12-31T22:00:00Z\"}"),
          column("c_point", "point", "'(13.4,52.5)'", "{\"lat\":52.5,\"lon\":13.4}"),
          column("c_xml", "xml", "'<a>1</a>'", "\"<a>1</a>\""),
          column("c_int_array", "integer[]", "'{1,2,3}'", "[1,2,3]"),
          column("c_text_array", "text[]", "'{\"a\",\"b c\"}'", "[\"a\",\"b c\"]"),
          column(
              "c_numeric_array",
              "numeric[]",
              "'{1.5,2.25}'",
              "[1.5,2.25]",
              Map.of(DOUBLE, "[1.5,2.25]", STRING, "[\"1.5\",\"2.25\"]")),
          column(
              "c_date_array",
              "date[]",
              "'{2024-01-01,2024-12-31}'",
              "[\"2024-01-01\",\"2024-12-31\"]"),
          column(
              "c_timestamptz_array",
              "timestamptz[]",
              "'{\"2024-01-01 00:00:00+00\"}'",
              "[\"2024-01-01T00:00:00.000000Z\"]"),
          column(
              "c_uuid_array",
              "uuid[]",
              "'{0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1}'",
              "[\"0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1\"]"));

  private TypeMatrix() {}

  private static Column column(String name, String type, String literal, String expected) {
    return new Column(name, type, literal, expected, Map.of());
  }

  private static Column column(
      String name, String type, String literal, String expected, Map<String, String> otherwise) {
    return new Column(name, type, literal, expected, otherwise);
  }

  /** The table as it appears in docs/transforms.md. */
  static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append(
        "| column | PostgreSQL type | value | document JSON | under other Debezium modes |\n");
    out.append("| --- | --- | --- | --- | --- |\n");
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
          .append(otherwise)
          .append(" |\n");
    }
    return out.toString();
  }
}
