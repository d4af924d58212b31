package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class FieldComparisonTest {
  private static JsonNode json(String text) {
    try {
      return ConvergenceChecker.JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static boolean same(ValueKind kind, String row, String document) {
    return FieldComparison.same(kind, json(row), document == null ? null : json(document));
  }

  @Test
  void numbersByExactDecimalValue() {
    assertThat(same(ValueKind.NUMBER, "2.50", "2.5")).isTrue();
    assertThat(same(ValueKind.NUMBER, "1234567890.12", "\"1234567890.12\"")).isTrue();
    assertThat(
            same(
                ValueKind.NUMBER,
                "123456789012345678901234567890.123456789",
                "123456789012345678901234567890.123456788"))
        .isFalse();
    assertThat(same(ValueKind.NUMBER, "9223372036854775807", "9223372036854775807")).isTrue();
    assertThat(same(ValueKind.NUMBER, "1", "\"one\"")).isFalse();
  }

  @Test
  void floatingPointByTheirOwnPrecision() {
    assertThat(same(ValueKind.REAL, "0.1", "0.10000000149011612")).isTrue();
    assertThat(same(ValueKind.DOUBLE, "0.1", "0.10000000149011612")).isFalse();
  }

  @Test
  void timestampsByInstantAndLocalTimesByValue() {
    assertThat(
            same(
                ValueKind.INSTANT,
                "\"2024-02-29T13:45:30.123456+02:00\"",
                "\"2024-02-29T11:45:30.123456Z\""))
        .isTrue();
    assertThat(same(ValueKind.INSTANT, "\"2024-02-29T13:45:30+02:00\"", "\"2024-02-29T13:45:30Z\""))
        .isFalse();
    assertThat(
            same(
                ValueKind.LOCAL_DATE_TIME,
                "\"2024-06-01T00:11:00\"",
                "\"2024-06-01T00:11:00.000\""))
        .isTrue();
    assertThat(same(ValueKind.DATE, "\"2024-02-29\"", "\"2024-03-01\"")).isFalse();
    assertThat(same(ValueKind.TIME, "\"24:00:00\"", "\"24:00:00\"")).isTrue();
    assertThat(same(ValueKind.TIME, "\"13:45:30.500\"", "\"13:45:30.5\"")).isTrue();
    assertThat(same(ValueKind.OFFSET_TIME, "\"13:45:30.5+02:00\"", "\"11:45:30.5Z\"")).isTrue();
    assertThat(same(ValueKind.OFFSET_TIME, "\"13:45:30.5+02\"", "\"11:45:30.5Z\"")).isTrue();
  }

  @Test
  void intervalsAsDebeziumDurationsOrPeriods() {
    // 3 days 04:05:06.789 -> PT76H5M6.789S (numeric mode)
    assertThat(same(ValueKind.INTERVAL, "[0, 3, 14706.789]", "\"PT76H5M6.789S\"")).isTrue();
    assertThat(same(ValueKind.INTERVAL, "[0, 3, 14706.789]", "\"PT76H5M6.788S\"")).isFalse();
    // 1 year 2 months 3 days 04:05:06.789 in string mode
    assertThat(same(ValueKind.INTERVAL, "[14, 3, 14706.789]", "\"P1Y2M3DT4H5M6.789S\"")).isTrue();
    // one month is 30.4375 days in Debezium's numeric mode
    assertThat(same(ValueKind.INTERVAL, "[1, 0, 0]", "\"PT730H30M\"")).isTrue();
  }

  @Test
  void jsonDeepEqualIgnoringKeyOrderAndNumberScale() {
    assertThat(
            same(
                ValueKind.JSON,
                "{\"b\": {\"c\": true}, \"a\": [1, 2.50]}",
                "{\"a\":[1,2.5],\"b\":{\"c\":true}}"))
        .isTrue();
    assertThat(same(ValueKind.JSON, "{\"a\": [1, 2]}", "{\"a\":[2,1]}")).isFalse();
    assertThat(same(ValueKind.JSON, "{\"a\": 1}", "{\"a\":1,\"b\":null}")).isFalse();
  }

  @Test
  void arraysElementByElementWithTheElementKind() {
    assertThat(
            same(
                ValueKind.INSTANT,
                "[\"2024-01-01T00:00:00+00:00\"]",
                "[\"2024-01-01T00:00:00.000000Z\"]"))
        .isTrue();
    assertThat(same(ValueKind.TEXT, "[\"a\", \"b c\"]", "[\"a\", \"b\"]")).isFalse();
    assertThat(same(ValueKind.TEXT, "[\"a\"]", "\"a\"")).isFalse();
  }

  @Test
  void rangesAndPointsFieldByField() {
    assertThat(same(ValueKind.NUMBER, "{\"gte\": 1, \"lt\": 10}", "{\"lt\":10,\"gte\":1}"))
        .isTrue();
    assertThat(same(ValueKind.NUMBER, "{\"gte\": 1, \"lt\": 10}", "{\"gte\":1,\"lte\":10}"))
        .isFalse();
    assertThat(
            same(
                ValueKind.INSTANT,
                "{\"gte\": \"2024-01-01T00:00:00+02:00\"}",
                "{\"gte\":\"2023-12-31T22:00:00Z\"}"))
        .isTrue();
    assertThat(
            same(
                ValueKind.NUMBER, "{\"lat\": 52.5, \"lon\": 13.4}", "{\"lat\":52.50,\"lon\":13.4}"))
        .isTrue();
  }

  @Test
  void bytesFromBase64TextAndBooleans() {
    assertThat(same(ValueKind.BASE64, "\"3q2+7w==\"", "\"3q2+7w==\"")).isTrue();
    assertThat(same(ValueKind.BASE64, "\"3q2+7w==\"", "\"3q2+7A==\"")).isFalse();
    assertThat(same(ValueKind.BOOLEAN, "true", "true")).isTrue();
    assertThat(same(ValueKind.BOOLEAN, "true", "false")).isFalse();
    assertThat(same(ValueKind.TEXT, "\"ab   \"", "\"ab\"")).isFalse();
  }

  @Test
  void nullEqualsAbsentButNotAValue() {
    assertThat(FieldComparison.same(ValueKind.TEXT, null, null)).isTrue();
    assertThat(same(ValueKind.TEXT, "null", null)).isTrue();
    assertThat(same(ValueKind.TEXT, "\"x\"", null)).isFalse();
    assertThat(FieldComparison.same(ValueKind.TEXT, null, json("\"x\""))).isFalse();
  }
}
