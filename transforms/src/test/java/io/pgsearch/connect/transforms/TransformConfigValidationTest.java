package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsearch.connect.devstack.ConfigReference;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each invalid value of each key of each transform fails {@code configure} with a ConfigException
 * that names the key and says what is valid; every key that can be invalid has a row.
 */
class TransformConfigValidationTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        row(
            "ChangeEventToDocument",
            "metadata.fields",
            "source.lsn:a:b",
            "is not a field reference"),
        row("ChangeEventToDocument", "metadata.fields", "source..lsn", "struct.field:new_name"),
        row("ChangeEventToDocument", "metadata.fields", "op,", "is not a field reference"),
        row("ChangeEventToDocument", "unavailable.value.placeholder", "", "non-empty"),
        row("ChangeEventToDocument", "behavior.on.non.change.event", "x", "pass, fail, drop"),
        row("ChangeEventToDocument", "behavior.on.non.change.event", "", "pass, fail, drop"),
        row(
            "ChangeEventToDocument",
            "drop.debezium.tombstones",
            "maybe",
            "Expected value to be either true or false"),
        row("ElasticsearchValues$Value", "decimal.format", "float", "number, string"),
        row("ElasticsearchValues$Value", "decimal.format", "", "number, string"),
        row("ElasticsearchValues$Key", "decimal.format", "double", "number, string"));
  }

  private static Arguments row(String transform, String key, String value, String message) {
    return Arguments.of(transform, key, value, message);
  }

  private static final Map<String, Supplier<Transformation<SourceRecord>>> TRANSFORMS =
      Map.of(
          "ChangeEventToDocument", ChangeEventToDocument::new,
          "ElasticsearchValues$Value", ElasticsearchValues.Value::new,
          "ElasticsearchValues$Key", ElasticsearchValues.Key::new);

  private static final Map<String, ConfigDef> DEFINITIONS =
      Map.of(
          "ChangeEventToDocument", ChangeEventToDocument.CONFIG_DEF,
          "ElasticsearchValues$Value", ElasticsearchValues.CONFIG_DEF,
          "ElasticsearchValues$Key", ElasticsearchValues.CONFIG_DEF);

  @ParameterizedTest(name = "{0} {1}={2}")
  @MethodSource("invalidValues")
  void eachInvalidValueFailsConfigureNamingTheKeyAndWhatIsValid(
      String transform, String key, String value, String message) {
    Transformation<SourceRecord> instance = TRANSFORMS.get(transform).get();
    try {
      assertThatThrownBy(() -> instance.configure(Map.of(key, value)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(key)
          .hasMessageContaining(message);
    } finally {
      instance.close();
    }
  }

  @Test
  void everyKeyThatCanBeInvalidHasARow() {
    Set<String> covered =
        invalidValues()
            .map(a -> a.get()[0] + " " + a.get()[1])
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    DEFINITIONS.forEach(
        (transform, definition) ->
            assertThat(covered)
                .as("rows of " + transform)
                .containsAll(
                    ConfigReference.validatedKeys(definition).stream()
                        .map(key -> transform + " " + key)
                        .toList()));
  }
}
