package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported PostgreSQL type, captured by Debezium (snapshot and streaming) through a real
 * Connect cluster, transformed by ChangeEventToDocument and ElasticsearchValues, and asserted
 * against the JSON of {@link TypeMatrix}, under several Debezium value modes.
 */
@ExtendWith(DevStackExtension.class)
class TypeMatrixIT {

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of(List.of()),
        Arguments.of(List.of(TypeMatrix.DOUBLE, "time.precision.mode=adaptive_time_microseconds")),
        Arguments.of(List.of(TypeMatrix.STRING, TypeMatrix.CONNECT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void everyTypeBecomesItsElasticsearchValue(
      List<String> modes, PostgresNode postgres, ConnectCluster connect) throws Exception {
    String name = "types" + Math.abs((long) modes.hashCode() % 10_000);
    String database = postgres.createDatabase(name);
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      for (String statement : TypeMatrix.SETUP) {
        sql.execute(statement);
      }
      sql.execute(TypeMatrix.createTable());
      sql.execute(TypeMatrix.insert(1));
    }
    Map<String, String> extra = new LinkedHashMap<>();
    for (String mode : modes) {
      String[] keyValue = mode.split("=");
      extra.put(keyValue[0], keyValue[1]);
    }
    DebeziumCapture capture =
        DebeziumCapture.start(connect, postgres, database, name, "types", extra);
    try {
      try (Connection connection = postgres.connect(database);
          Statement sql = connection.createStatement()) {
        sql.execute(TypeMatrix.insert(2));
        sql.execute("INSERT INTO types (id) VALUES (3)");
      }

      List<DebeziumCapture.Captured> records = capture.read("types", 3);

      assertThat(records).hasSize(3);
      assertThat(records)
          .extracting(r -> r.headers().get(PgsearchHeaders.OP))
          .containsExactly("r", "c", "c");
      List<String> mismatches = new ArrayList<>();
      for (DebeziumCapture.Captured record : records) {
        int id = record.document().path("id").asInt();
        for (TypeMatrix.Column column : TypeMatrix.COLUMNS) {
          JsonNode actual = record.document().get(column.name());
          JsonNode expected =
              DebeziumCapture.parse(
                  (id == 3 ? "null" : column.expected(modes))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
          if (actual == null || !DebeziumCapture.sameJson(expected, actual)) {
            mismatches.add(
                String.format(
                    Locale.ROOT,
                    "row %d %s (%s): expected %s but was %s",
                    id,
                    column.name(),
                    column.type(),
                    expected,
                    actual));
          }
        }
      }
      assertThat(mismatches).isEmpty();
    } finally {
      capture.stop();
    }
  }
}
