package io.pgsearch.connect.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Prometheus JMX exporter as a Java agent of a worker JVM: it serves the worker's MBeans,
 * renamed by a rules file (the repository's {@code monitoring/jmx-exporter.yml}), as Prometheus
 * metrics on a loopback port. The agent's jar is the one dev-stack's build resolved from Maven
 * Central.
 *
 * @param port where {@code /metrics} is served, on 127.0.0.1
 * @param rules the exporter's YAML configuration
 * @param jar the agent's jar
 */
public record MetricsAgent(int port, Path rules, Path jar) {
  /** The repository's rules file, relative to its root. */
  public static final String RULES = "monitoring/jmx-exporter.yml";

  /** An agent on a free port with the rules file under the repository {@code root}. */
  public static MetricsAgent forRepository(Path root) {
    Path rules = root.resolve(RULES);
    if (!Files.isRegularFile(rules)) {
      throw new IllegalStateException("The JMX exporter's rules file " + rules + " is missing");
    }
    return withRules(rules);
  }

  /** The agent dev-stack's build resolved, on a free port, with the given rules file. */
  public static MetricsAgent withRules(Path rules) {
    return new MetricsAgent(FreePorts.next(), rules, resolvedJar());
  }

  /** The agent's jar in the local Maven repository. */
  private static Path resolvedJar() {
    return Artifacts.resolve(
        "io.prometheus.jmx", "jmx_prometheus_javaagent", Versions.jmxExporter(), "jar");
  }

  /** The JVM option that attaches the agent, for {@link ConnectWorkerProcess#start}. */
  public List<String> jvmOptions() {
    return List.of("-javaagent:" + jar + "=127.0.0.1:" + port + ":" + rules.toAbsolutePath());
  }

  /** Where Prometheus scrapes the worker. */
  public String url() {
    return "http://127.0.0.1:" + port + "/metrics";
  }
}
