package io.pgsearch.connect.devstack;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * A real Kafka broker in KRaft mode, in this JVM, without Connect workers: for a {@link
 * ConnectWorkerProcess} in its own JVM to use. It does not auto-create topics.
 */
public final class KafkaBroker implements AutoCloseable {
  private final EmbeddedKafkaCluster cluster;

  private KafkaBroker(EmbeddedKafkaCluster cluster) {
    this.cluster = cluster;
  }

  public static KafkaBroker start() {
    return start(Map.of());
  }

  /**
   * A broker with these settings over the test kit's, which differ from Kafka's own defaults where
   * tests want speed (e.g. {@code group.initial.rebalance.delay.ms} 0 instead of 3000).
   */
  public static KafkaBroker start(Map<String, String> brokerSettings) {
    // Kafka halts the JVM when its log directory fails, which happens at JVM shutdown when the test
    // kit's own hook deletes the broker's temporary directory while it still runs. The dev stack's
    // shutdown must still stop Elasticsearch and PostgreSQL, so a halt becomes an exception here.
    Exit.setHaltProcedure(KafkaBroker::refuseToEndTheJvm);
    Exit.setExitProcedure(KafkaBroker::refuseToEndTheJvm);
    Properties settings = new Properties();
    settings.putAll(brokerSettings);
    EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(1, settings);
    cluster.start();
    return new KafkaBroker(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  private static void refuseToEndTheJvm(int status, String message) {
    throw new IllegalStateException(
        "Kafka asked to end the JVM (status " + status + "): " + message);
  }

  /** Kafka's own test handle: produce, consume, create topics. */
  public EmbeddedKafkaCluster embedded() {
    return cluster;
  }

  /** The broker's listening port. */
  public int port() {
    String server = bootstrapServers().split(",")[0];
    return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
  }

  @Override
  public void close() {
    cluster.stop();
  }
}
