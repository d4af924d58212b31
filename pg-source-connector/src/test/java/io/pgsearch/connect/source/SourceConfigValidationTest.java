package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each invalid value of each key gives a clear error on that key, and on no other, before any
 * connection to PostgreSQL ({@code ValidateIT} covers what only the database can tell; {@code
 * ConfigValidationRestIT} sends these rows through Connect's REST API).
 */
class SourceConfigValidationTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        row("database.hostname", "", "String may not be empty"),
        row("tables.discovery.interval.ms", "-1", "Value must be at least 0"),
        row("initial.load", "eventually", "must be one of blocking, incremental"),
        row("tables.discovery.interval.ms", "soon", "Not a number of type LONG"),
        row("row.max.bytes", "1000", "Must be at least 65536"),
        row("row.max.bytes", "big", "Not a number of type LONG"),
        row("row.max.bytes", "2000000", "Must not exceed what Kafka takes: 1048576 bytes"),
        row("database.port", "0", "Value must be at least 1"),
        row("database.port", "65536", "Value must be no more than 65535"),
        row("database.port", "fivefourthreetwo", "Not a number of type INT"),
        row("database.user", "", "String may not be empty"),
        row("database.dbname", "", "String may not be empty"),
        row("database.sslmode", "strict", "verify-full"),
        row("ssl.ca.pem", "not a certificate", "certificate"),
        row("topic.prefix", "", "String may not be empty"),
        row("schemas", "", "empty"),
        row("tables", "", "empty"),
        row("message.key.columns", "no-colon-here", "Invalid key columns"),
        row("replica.identity.autoset", "maybe", "Expected value to be either true or false"),
        row("plugin.name", "wal2json", "pgoutput, decoderbufs"),
        row("heartbeat.interval.ms", "-1", "Value must be at least 0"),
        row("heartbeat.interval.ms", "often", "Not a number of type INT"),
        row("signal.data.collection", "pgsearch_signal", "Must be schema.table"),
        row("tombstones.on.delete", "maybe", "Expected value to be either true or false"),
        row("decimal.handling.mode", "float", "precise, double, string"),
        row("time.precision.mode", "nanos", "adaptive"),
        row("table.include.list", "public.orders", "choose tables with `tables`"),
        row("schema.include.list", "public", "choose tables with `tables`"),
        row("publication.autocreate.mode", "all_tables", "manages its publication"),
        row("row.filter.products", "price > 0", "row.filter.<schema>.<table>"),
        row("slot.name", "Not-A-Slot", "slot"));
  }

  private static Arguments row(String key, String value, String message) {
    return Arguments.of(key, value, message);
  }

  /** A configuration whose keys are all valid; port 1 has nothing listening. */
  static Map<String, String> validBase() {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", PostgresSourceConnector.class.getName());
    props.put("database.hostname", "127.0.0.1");
    props.put("database.port", "1");
    props.put("database.user", "pgsearch");
    props.put("database.password", "unused-password");
    props.put("database.dbname", "shop");
    props.put("topic.prefix", "shop");
    return props;
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidValues")
  void eachInvalidValueIsReportedOnItsKey(String key, String value, String message) {
    Map<String, String> props = validBase();
    props.put(key, value);
    List<ConfigValue> withErrors =
        new PostgresSourceConnector()
            .validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .toList();
    String reported =
        withErrors.stream()
            .map(v -> v.name() + ": " + String.join("; ", v.errorMessages()))
            .toList()
            .toString();
    assertThat(withErrors).as(reported).extracting(ConfigValue::name).containsOnly(key);
    assertThat(reported).contains(message);
  }

  /** A key that can be set to something invalid but has no row fails here: add rows for it. */
  @Test
  void everyKeyThatCanBeInvalidHasARow() {
    Set<String> covered = new TreeSet<>();
    invalidValues().forEach(row -> covered.add((String) row.get()[0]));
    assertThat(covered).containsAll(ConfigReference.validatedKeys(PostgresSourceConfig.CONFIG_DEF));
  }

  /**
   * An incremental initial load makes Debezium read no data: another snapshot mode contradicts it.
   */
  @Test
  void anIncrementalLoadRefusesAnotherSnapshotMode() {
    Map<String, String> props = validBase();
    props.put("initial.load", "incremental");
    props.put("snapshot.mode", "initial");
    assertThat(errorsOn(props, "snapshot.mode"))
        .singleElement()
        .asString()
        .contains("Contradicts initial.load=incremental")
        .contains("initial.load=blocking");
    props.put("snapshot.mode", "no_data");
    assertThat(errorsOn(props, "snapshot.mode")).isEmpty();
    props.put("initial.load", "blocking");
    props.put("snapshot.mode", "initial");
    assertThat(errorsOn(props, "snapshot.mode")).as("Debezium's own, unchanged").isEmpty();
  }

  private static List<String> errorsOn(Map<String, String> props, String key) {
    return new PostgresSourceConnector()
        .validate(props).configValues().stream()
            .filter(v -> v.name().equals(key))
            .flatMap(v -> v.errorMessages().stream())
            .toList();
  }

  /**
   * JsonConverter with schemas replaces a null by the column's DEFAULT unless told not to: the
   * error is on the converter's key, and each way of turning it off passes.
   */
  @Test
  void aJsonConverterThatWouldReplaceNullsWithDefaultsIsAnErrorOnItsKey() {
    Map<String, String> props = validBase();
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    assertThat(converterErrors(props))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo("value.converter.replace.null.with.default");
              assertThat(v.errorMessages()).anyMatch(m -> m.contains("must be false"));
            });
    props.put("value.converter.replace.null.with.default", "false");
    assertThat(converterErrors(props)).isEmpty();
    props.remove("value.converter.replace.null.with.default");
    props.put("value.converter.schemas.enable", "false");
    assertThat(converterErrors(props)).as("no schema, no default").isEmpty();
  }

  private static List<ConfigValue> converterErrors(Map<String, String> props) {
    return new PostgresSourceConnector()
        .validate(props).configValues().stream()
            .filter(v -> v.name().startsWith("value.converter") && !v.errorMessages().isEmpty())
            .toList();
  }
}
