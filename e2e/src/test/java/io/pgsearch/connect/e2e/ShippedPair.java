package io.pgsearch.connect.e2e;

import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.ConnectWorkerProcess;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.KafkaBroker;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The shipped pair of connectors ({@code connect-configs/pg-source.json} and {@code es-sink.json})
 * from the archives, on a PostgreSQL server, a Kafka broker and a Connect worker of the test's own:
 * the shipped source config names its slot after the connector ({@code pgsearch_pg_source}), which
 * another test's connector on a shared server would hold.
 */
record ShippedPair(PostgresNode postgres, KafkaBroker kafka, ConnectWorkerProcess worker)
    implements AutoCloseable {
  private static final int POSTGRES_MAJOR = 17;

  /** Starts the servers, the worker working in {@code <workDir>/<name>}; no connector yet. */
  static ShippedPair start(String name) throws IOException {
    return start(name, List.of());
  }

  /** The same, the worker's JVM started with more options (a Java agent, say). */
  static ShippedPair start(String name, List<String> workerJvmOptions) throws IOException {
    Path work = DevStackExtension.workDir().resolve(name);
    Path plugins = Archives.unpackBoth(work);
    PostgresNode postgres = PostgresNode.start(POSTGRES_MAJOR, DevStackExtension.workDir());
    KafkaBroker kafka = null;
    try {
      kafka = KafkaBroker.start();
      ConnectWorkerProcess worker =
          ConnectWorkerProcess.start(
              work,
              kafka.bootstrapServers(),
              Archives.workerClasspath(),
              List.of(plugins),
              Map.of(),
              workerJvmOptions);
      return new ShippedPair(postgres, kafka, worker);
    } catch (IOException | RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      postgres.close();
      throw e;
    }
  }

  /** A server of the same major version, for a second database (a restored copy, say). */
  static PostgresNode anotherPostgres() {
    return PostgresNode.start(POSTGRES_MAJOR, DevStackExtension.workDir());
  }

  /** POSTs the shipped source and sink configs, pointed at {@code database} and Elasticsearch. */
  void createConnectors(String database, SearchNode elasticsearch) {
    create(database, elasticsearch, List.of("pg-source.json", "es-sink.json"));
  }

  /**
   * POSTs the shipped source config alone: the shop's topics without the shipped sink's indexes,
   * which other tests on the same Elasticsearch node use.
   */
  void createSource(String database, SearchNode elasticsearch) {
    create(database, elasticsearch, List.of("pg-source.json"));
  }

  private void create(String database, SearchNode elasticsearch, List<String> files) {
    Map<String, String> values = ConnectConfigs.placeholders(postgres, database, elasticsearch);
    for (String file : files) {
      worker
          .rest()
          .post(
              "/connectors",
              ConnectConfigs.fill(
                  PackagingIT.ROOT.resolve("connect-configs").resolve(file), values))
          .ok();
    }
  }

  /** Runs each statement in its own transaction. */
  static void sql(PostgresNode node, String database, String... statements) throws Exception {
    try (Connection connection = node.connect(database);
        Statement sql = connection.createStatement()) {
      for (String statement : statements) {
        sql.execute(statement);
      }
    }
  }

  @Override
  public void close() {
    try (postgres;
        kafka;
        worker) {
      // closed in reverse: the worker first
    }
  }
}
