package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAgentTest {
  @TempDir Path dir;
  private final String previous = System.getProperty(Artifacts.REPO_PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (previous == null) {
      System.clearProperty(Artifacts.REPO_PROPERTY);
    } else {
      System.setProperty(Artifacts.REPO_PROPERTY, previous);
    }
  }

  @Test
  void theAgentServesOnLoopbackWithTheRulesGiven() throws Exception {
    Path repo = dir.resolve("repo");
    String version = Versions.jmxExporter();
    Path jar =
        repo.resolve("io/prometheus/jmx/jmx_prometheus_javaagent")
            .resolve(version)
            .resolve("jmx_prometheus_javaagent-" + version + ".jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "agent");
    System.setProperty(Artifacts.REPO_PROPERTY, repo.toString());
    Path rules = dir.resolve(MetricsAgent.RULES);
    Files.createDirectories(rules.getParent());
    Files.writeString(rules, "rules: []\n");

    MetricsAgent agent = MetricsAgent.forRepository(dir);

    assertThat(agent.rules()).isEqualTo(rules);
    assertThat(agent.jvmOptions())
        .containsExactly("-javaagent:" + jar + "=127.0.0.1:" + agent.port() + ":" + rules);
    assertThat(agent.url()).isEqualTo("http://127.0.0.1:" + agent.port() + "/metrics");
  }

  @Test
  void aRepositoryWithoutTheRulesFileIsNamed() {
    assertThatThrownBy(() -> MetricsAgent.forRepository(dir))
        .hasMessageContaining(dir.resolve(MetricsAgent.RULES).toString());
  }
}
