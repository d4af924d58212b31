package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import io.pgsearch.connect.sink.config.SinkConfig;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each invalid value of each key gives a clear error on that key, and on no other ({@code
 * ConfigValidationRestIT} sends the same rows through Connect's REST API).
 */
class SinkConfigValidationTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        row("connection.url", "", "at least one server URL"),
        row("connection.url", "localhost:9200", "must be an http:// or https:// URL"),
        row("connection.url", "ftp://es:21", "must be an http:// or https:// URL"),
        row("connection.url", "http://exa mple", "not a URL"),
        row(
            "connection.username",
            "elastic",
            "connection.password: is required with connection.username"),
        row(
            "connection.password",
            "secret",
            "connection.username: is required with connection.password"),
        row("connection.ssl.ca.pem", "not a certificate", "is not a PEM certificate"),
        row("connection.ssl.ca.file", "/nonexistent/ca.pem", "cannot be read on this worker"),
        row(
            "connection.ssl.verification.enabled",
            "maybe",
            "Expected value to be either true or false"),
        row("connection.timeout.ms", "0", "Value must be at least 1"),
        row("read.timeout.ms", "soon", "Not a number of type INT"),
        row("batch.size", "0", "Value must be at least 1"),
        row("batch.size", "100001", "Value must be no more than 100000"),
        row("bulk.size.bytes", "10", "Value must be at least 1024"),
        row("max.in.flight.requests", "0", "Value must be at least 1"),
        row("linger.ms", "-1", "Value must be at least 0"),
        row("max.buffered.records", "0", "Value must be at least 1"),
        row("max.buffered.bytes", "1023", "Value must be at least 1024"),
        row("max.retries", "-2", "Value must be at least -1"),
        row("retry.backoff.ms", "0", "Value must be at least 1"),
        row("retry.backoff.max.ms", "x", "Not a number of type LONG"),
        row("write.method", "replace", "must be one of insert, upsert"),
        row("write.method", "upsert", "upsert cannot be versioned"),
        row("key.ignore", "yes", "Expected value to be either true or false"),
        row("index.rebuild.keep.previous", "yes", "Expected value to be either true or false"),
        row("behavior.on.null.values", "drop", "must be one of delete, ignore, fail"),
        row("behavior.on.malformed.documents", "skip", "must be one of fail, warn, ignore"),
        row("log.summary.interval.ms", "-5", "Value must be at least 0"),
        row("index.name.template", "", "must not be empty"),
        row("index.name.template", "${database}", "only ${topic}, ${schema} and ${table}"),
        row("topic.index.map", "orders", "each entry must be topic:index"),
        row("topic.index.map", "orders:", "each entry must be topic:index"),
        row("topic.index.map", "orders:Orders", "is not a valid index name"),
        row("topic.index.map", "orders:_orders", "is not a valid index name"),
        row("topic.index.map", "orders:a*b", "is not a valid index name"),
        row(
            "connection.ssl.ca.pem",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            "is not a PEM certificate"),
        row("connection.timeout.ms", "600001", "Value must be no more than 600000"),
        row("read.timeout.ms", "0", "Value must be at least 1"),
        row("bulk.size.bytes", "lots", "Not a number of type LONG"),
        row("max.in.flight.requests", "1001", "Value must be no more than 1000"),
        row("linger.ms", "60001", "Value must be no more than 60000"),
        row("max.buffered.records", "10000001", "Value must be no more than 10000000"),
        row("max.buffered.bytes", "68719476737", "Value must be no more than 68719476736"),
        row("retry.backoff.ms", "3600001", "Value must be no more than 3600000"),
        row("retry.backoff.max.ms", "0", "Value must be at least 1"),
        row("log.summary.interval.ms", "often", "Not a number of type LONG"),
        row("write.method", "", "must be one of insert, upsert"),
        row("behavior.on.null.values", "", "must be one of delete, ignore, fail"),
        row("index.mapping.mode", "", "must be one of infer, dynamic"),
        row("index.mapping.mode", "strict", "must be one of infer, dynamic"),
        row("index.definition", "{not json", "is not valid JSON"),
        row("index.definition", "[1]", "must be a JSON object"),
        row("index.definition.file", "/nonexistent/index.json", "cannot be read on this worker"));
  }

  private static Arguments row(String key, String value, String message) {
    return Arguments.of(key, value, message);
  }

  /** A configuration whose keys are all valid; nothing listens at the URL. */
  static Map<String, String> validBase() {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", ElasticsearchSinkConnector.class.getName());
    props.put("topics", "orders");
    props.put("connection.url", "http://127.0.0.1:1");
    return props;
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidValues")
  void eachInvalidValueIsReportedOnItsKey(String key, String value, String message) {
    Map<String, String> props = validBase();
    props.put(key, value);

    List<ConfigValue> withErrors =
        new ElasticsearchSinkConnector()
            .validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .toList();

    assertThat(withErrors).as("keys with errors").isNotEmpty();
    String reported =
        withErrors.stream()
            .map(v -> v.name() + ": " + String.join("; ", v.errorMessages()))
            .toList()
            .toString();
    assertThat(reported).contains(message);
    if (!message.contains(": is required with")) {
      assertThat(withErrors).extracting(ConfigValue::name).containsOnly(key);
    }
  }

  /** A key that can be set to something invalid but has no row fails here: add rows for it. */
  @Test
  void everyKeyThatCanBeInvalidHasARow() {
    Set<String> covered = new TreeSet<>();
    invalidValues().forEach(row -> covered.add((String) row.get()[0]));
    assertThat(covered).containsAll(ConfigReference.validatedKeys(SinkConfig.CONFIG_DEF));
  }

  @Test
  void bothCaSourcesAtOnceAreReportedOnBothKeys() {
    Map<String, String> props = new HashMap<>();
    props.put("connection.url", "https://127.0.0.1:1");
    props.put("connection.ssl.ca.pem", "x");
    props.put("connection.ssl.ca.file", "/x");
    List<String> keys =
        new ElasticsearchSinkConnector()
            .validate(props).configValues().stream()
                .filter(v -> v.errorMessages().stream().anyMatch(m -> m.contains("not both")))
                .map(ConfigValue::name)
                .toList();
    assertThat(keys).containsExactlyInAnyOrder("connection.ssl.ca.pem", "connection.ssl.ca.file");
  }

  /**
   * JsonConverter with schemas replaces a null by the column's DEFAULT unless told not to, and so
   * does StreamingJsonConverter: the error is on the converter's key, and each way of turning it
   * off passes.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "org.apache.kafka.connect.json.JsonConverter",
        "io.pgsearch.connect.converters.StreamingJsonConverter"
      })
  void aJsonConverterThatWouldReplaceNullsWithDefaultsIsAnErrorOnItsKey(String converter) {
    Map<String, String> props = validBase();
    props.put("value.converter", converter);
    assertThat(converterErrors(props))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo("value.converter.replace.null.with.default");
              assertThat(v.errorMessages())
                  .anyMatch(m -> m.contains("must be false with " + converter));
            });
    props.put("value.converter.replace.null.with.default", "false");
    assertThat(converterErrors(props)).isEmpty();
    props.remove("value.converter.replace.null.with.default");
    props.put("value.converter.schemas.enable", "false");
    assertThat(converterErrors(props)).as("no schema, no default").isEmpty();
  }

  private static List<ConfigValue> converterErrors(Map<String, String> props) {
    return new ElasticsearchSinkConnector()
        .validate(props).configValues().stream()
            .filter(v -> v.name().startsWith("value.converter") && !v.errorMessages().isEmpty())
            .toList();
  }
}
