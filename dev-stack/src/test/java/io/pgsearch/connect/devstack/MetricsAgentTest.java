package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAgentTest {
  @TempDir Path dir;

  @Test
  void theAgentServesOnLoopbackWithTheRulesGiven() {
    Path jar = dir.resolve("jmx_prometheus_javaagent.jar");
    Path rules = dir.resolve(MetricsAgent.RULES);
    MetricsAgent agent = new MetricsAgent(9404, rules, jar);

    assertThat(agent.jvmOptions())
        .containsExactly("-javaagent:" + jar + "=127.0.0.1:9404:" + rules.toAbsolutePath());
    assertThat(agent.url()).isEqualTo("http://127.0.0.1:9404/metrics");
  }

  @Test
  void aRepositoryWithoutTheRulesFileIsNamed() {
    assertThatThrownBy(() -> MetricsAgent.forRepository(dir))
        .hasMessageContaining(dir.resolve(MetricsAgent.RULES).toString());
  }
}
