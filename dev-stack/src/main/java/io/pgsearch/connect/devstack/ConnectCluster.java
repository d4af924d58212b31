package io.pgsearch.connect.devstack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;

/**
 * Real Kafka brokers in KRaft mode and a distributed Kafka Connect cluster, in this JVM, from
 * connect-runtime's own test kit, with the REST API on loopback.
 *
 * <p>Plugins are found with {@code plugin.discovery=service_load}, so every connector, converter
 * and transform must be listed in its jar's {@code META-INF/services}. Brokers do not auto-create
 * topics: connectors set {@code topic.creation.default.*}.
 */
public final class ConnectCluster implements AutoCloseable {
  private final EmbeddedConnectCluster cluster;
  private final ConnectRest rest;

  private ConnectCluster(EmbeddedConnectCluster cluster) {
    this.cluster = cluster;
    this.rest = new ConnectRest(this::restUrl);
  }

  /** Starts one broker and {@code workers} Connect workers. */
  public static ConnectCluster start(int workers) {
    return start(workers, Map.of());
  }

  /** Starts one broker and {@code workers} workers, with extra worker properties. */
  public static ConnectCluster start(int workers, Map<String, String> workerProperties) {
    Map<String, String> props = WorkerDefaults.common();
    props.put("plugin.discovery", "service_load");
    props.put("connector.client.config.override.policy", "All");
    props.putAll(workerProperties);
    EmbeddedConnectCluster cluster =
        new EmbeddedConnectCluster.Builder()
            .name("pgsearch-dev-" + System.nanoTime())
            .numWorkers(workers)
            .numBrokers(1)
            .workerProps(props)
            .build();
    cluster.start();
    return new ConnectCluster(cluster);
  }

  /** The REST API base URL of a running worker, e.g. {@code http://localhost:43123}. */
  public String restUrl() {
    URI url = cluster.workers().iterator().next().url();
    String text = url.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** A JSON client of the Connect REST API, used as a user would use curl. */
  public ConnectRest rest() {
    return rest;
  }

  public String bootstrapServers() {
    return cluster.kafka().bootstrapServers();
  }

  /** connect-runtime's own handle, for what {@link #rest()} does not cover (e.g. workers). */
  public EmbeddedConnectCluster embedded() {
    return cluster;
  }

  /** Every loopback port this cluster listens on: worker REST ports and broker ports. */
  public List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (WorkerHandle worker : cluster.workers()) {
      ports.add(worker.url().getPort());
    }
    for (String server : bootstrapServers().split(",")) {
      ports.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
    }
    return ports;
  }

  @Override
  public void close() {
    cluster.stop();
  }

  @Override
  public String toString() {
    return "Kafka Connect at " + restUrl() + " (Kafka " + bootstrapServers() + ")";
  }
}
