package io.pgsearch.connect.devstack;

import java.util.Properties;
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
    EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(1, new Properties());
    cluster.start();
    return new KafkaBroker(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
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
