package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void theConnectorAndItsTaskReportThisPluginsVersionNotDebeziums() {
    String version = new PostgresSourceConnector().version();
    assertThat(version).isNotEqualTo("unknown").doesNotContain("Final");
    assertThat(new PostgresSourceTask().version()).isEqualTo(version);
  }
}
