package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every key is documented, and docs/config/pg-source-connector.md is what the code defines. */
class ConfigReferenceTest {
  @Test
  void everyKeyIsDocumented() {
    assertThat(ConfigReference.undocumentedKeys(PostgresSourceConfig.CONFIG_DEF)).isEmpty();
  }

  @Test
  void committedReferenceMatchesTheConfigDef() {
    ConfigReference.verify(
        Path.of("../docs/config/pg-source-connector.md"),
        ConfigReference.markdown(
            "PostgresSourceConnector",
            PostgresSourceConfig.OVERVIEW_DOC,
            PostgresSourceConfig.CONFIG_DEF));
  }
}
