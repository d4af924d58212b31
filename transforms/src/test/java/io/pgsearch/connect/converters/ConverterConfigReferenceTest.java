package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/config/converters.md is generated from the converter's ConfigDef. */
class ConverterConfigReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "config", "converters.md");

  static final String OVERVIEW =
      "Kafka's JSON format (the same bytes as org.apache.kafka.connect.json.JsonConverter, so"
          + " a topic written by either is read by the other), read and written as a stream"
          + " without a JSON tree. The settings are JsonConverter's own; set them with the"
          + " key.converter. and value.converter. prefixes.";

  @Test
  void theReferenceIsCurrent() {
    ConfigDef definition = new StreamingJsonConverter().config();
    assertThat(ConfigReference.undocumentedKeys(definition)).isEmpty();
    ConfigReference.verify(
        REFERENCE,
        "# Converters configuration reference\n\n"
            + "Generated from the code by ConverterConfigReferenceTest; see ../converters.md for"
            + " how to use it.\n\n"
            + ConfigReference.markdown(
                "`" + StreamingJsonConverter.class.getName() + "`", OVERVIEW, definition));
  }
}
