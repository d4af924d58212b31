package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of {@link SourceConfigValidationTest}, as a user meets them: {@code PUT
 * /connector-plugins/PostgresSourceConnector/config/validate} on a real Connect worker.
 */
@ExtendWith(DevStackExtension.class)
class ConfigValidationRestIT {
  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("io.pgsearch.connect.source.SourceConfigValidationTest#invalidValues")
  void eachInvalidValueIsReportedOnItsKeyByTheRestApi(
      String key, String value, String message, ConnectCluster connect) {
    Map<String, String> props = SourceConfigValidationTest.validBase();
    props.put("name", "validate-table");
    props.put(key, value);
    Map<String, List<String>> errors =
        connect.rest().validate(SourceFixture.CONNECTOR_CLASS, props).validationErrors();
    assertThat(errors).as("errors").containsOnlyKeys(key);
    assertThat(String.join("; ", errors.get(key))).contains(message);
  }
}
