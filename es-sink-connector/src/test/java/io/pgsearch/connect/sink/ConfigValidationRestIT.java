package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rows of {@link SinkConfigValidationTest}, as a user meets them: {@code PUT
 * /connector-plugins/ElasticsearchSinkConnector/config/validate} on a real Connect worker.
 */
@ExtendWith(DevStackExtension.class)
class ConfigValidationRestIT {
  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("io.pgsearch.connect.sink.SinkConfigValidationTest#invalidValues")
  void eachInvalidValueIsReportedOnItsKeyByTheRestApi(
      String key, String value, String message, ConnectCluster connect) {
    Map<String, String> props = SinkConfigValidationTest.validBase();
    props.put("name", "validate-table");
    props.put(key, value);
    List<String> errors =
        SecuredElasticsearchSinkIT.errors(
            connect.rest().validate(ElasticsearchSinkConnector.class.getName(), props));
    assertThat(errors).as("errors").anySatisfy(error -> assertThat(error).contains(message));
    if (!message.contains(": is required with")) {
      assertThat(errors).allSatisfy(error -> assertThat(error).startsWith(key + ": "));
    }
  }
}
