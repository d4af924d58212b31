package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import io.pgsearch.connect.sink.config.SinkConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every key is documented, and docs/config/es-sink-connector.md is generated from the ConfigDef.
 */
class ConfigReferenceTest {
  static final String OVERVIEW =
      "Class: `io.pgsearch.connect.sink.ElasticsearchSinkConnector`. Besides these keys, Kafka"
          + " Connect's own sink keys apply (`topics`, `tasks.max`, converters, `errors.*`).";

  @Test
  void everyKeyIsDocumented() {
    assertThat(ConfigReference.undocumentedKeys(SinkConfig.CONFIG_DEF)).isEmpty();
  }

  @Test
  void theReferenceMatchesTheConfigDef() {
    ConfigReference.verify(
        Path.of("..", "docs", "config", "es-sink-connector.md"),
        "# es-sink-connector configuration\n\n"
            + "Generated from the ConfigDef by ConfigReferenceTest: do not edit by hand.\n\n"
            + ConfigReference.markdown(
                "Elasticsearch sink connector", OVERVIEW, SinkConfig.CONFIG_DEF));
  }
}
