package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.devstack.ConnectConfigs;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.ConnectWorkerProcess;
import io.pgsearch.connect.devstack.KafkaBroker;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchDistribution;
import io.pgsearch.connect.devstack.SearchNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * The components of a run, reusing dev-stack's machinery as the run command does: PostgreSQL, a
 * Kafka broker, a Connect worker in its own JVM with the Confluent Hub archives unpacked on its
 * plugin.path, and Elasticsearch. Stopped in reverse order on close.
 */
final class BenchStack implements AutoCloseable {
  static final Duration START = Duration.ofMinutes(3);

  /**
   * Kafka's own default for a new consumer group's first rebalance (the test kit sets 0): a broker
   * as users run it waits this long for more members. With 0, a sink task joining a moment after
   * the first is given every partition alone, and about a heartbeat (3 s) later a rebalance takes
   * them all back and sends its unapplied records again: in runs of the 2-task sink that cost up to
   * a third of the rate, a start-up effect a production broker does not have.
   */
  static final Map<String, String> BROKER_SETTINGS =
      Map.of("group.initial.rebalance.delay.ms", "3000");

  final PostgresNode postgres;
  final SearchNode elasticsearch;
  final KafkaBroker kafka;
  final ConnectWorkerProcess worker;
  final Search search;
  final AppliedClock clock;
  private final Path root;
  private final BenchOptions options;
  private final Deque<AutoCloseable> started;

  private BenchStack(
      PostgresNode postgres,
      SearchNode elasticsearch,
      KafkaBroker kafka,
      ConnectWorkerProcess worker,
      BenchOptions options,
      Deque<AutoCloseable> started) {
    this.postgres = postgres;
    this.elasticsearch = elasticsearch;
    this.kafka = kafka;
    this.worker = worker;
    this.search = new Search(elasticsearch);
    this.clock = new AppliedClock(elasticsearch);
    this.root = options.root();
    this.options = options;
    this.started = started;
  }

  static BenchStack start(BenchOptions options, String esVersion, PrintStream out) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      Path root = options.root();
      Path work = options.workDir();
      Path workerClasspath = required(root.resolve("dev-stack/target/worker.classpath"));
      String version = io.pgsearch.connect.devstack.Versions.pgsearch();
      Path source =
          required(
              root.resolve(
                  "pg-source-connector/target/components/packages/pgsearch-pg-source-connector-"
                      + version
                      + ".zip"));
      Path sink =
          required(
              root.resolve(
                  "es-sink-connector/target/components/packages/pgsearch-es-sink-connector-"
                      + version
                      + ".zip"));
      out.println("Starting Elasticsearch " + esVersion + ", PostgreSQL, Kafka, a Connect worker");
      CpuSplit cpus = CpuSplit.of(options.elasticsearchCores());
      out.println("CPU: " + cpus.describe());
      cpus.pinThisJvm();
      SearchNode.Builder esBuilder =
          SearchNode.builder()
              .distribution(
                  options.elasticsearchMajor() == 9
                      ? SearchDistribution.ELASTICSEARCH_9
                      : SearchDistribution.ELASTICSEARCH_8)
              .heapMb(options.elasticsearchHeapMb())
              .workDir(work);
      if (cpus.enabled()) {
        esBuilder.setting("node.processors", String.valueOf(cpus.elasticsearchCores()));
      }
      SearchNode es = remember(started, esBuilder.start());
      for (ProcessHandle process : es.processTree()) {
        cpus.pinElasticsearch(process.pid());
      }
      PostgresNode postgres = remember(started, PostgresNode.start(17, work));
      KafkaBroker kafka = remember(started, quietly(() -> KafkaBroker.start(BROKER_SETTINGS)));
      Path plugins = work.resolve("plugins");
      ConnectWorkerProcess.unpackArchive(source, plugins);
      ConnectWorkerProcess.unpackArchive(sink, plugins);
      ConnectWorkerProcess worker =
          remember(
              started,
              ConnectWorkerProcess.start(
                  work,
                  kafka.bootstrapServers(),
                  Files.readString(workerClasspath).trim(),
                  List.of(plugins),
                  Map.of(),
                  workerJvmOptions(options)));
      return new BenchStack(postgres, es, kafka, worker, options, started);
    } catch (IOException e) {
      closeAll(started);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      closeAll(started);
      throw e;
    }
  }

  /** Kafka's storage formatter prints to stdout; the console is for the benchmark's own lines. */
  private static KafkaBroker quietly(java.util.function.Supplier<KafkaBroker> start) {
    PrintStream console = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return start.get();
    } finally {
      System.setOut(console);
    }
  }

  private static <T extends AutoCloseable> T remember(Deque<AutoCloseable> started, T component) {
    started.push(component);
    return component;
  }

  /**
   * A connect-configs file with its placeholders filled for a database of this stack, then adjusted
   * by {@code edit} (name, topic prefix...), as a user edits the file.
   */
  ObjectNode config(String file, String database, Consumer<ObjectNode> edit) {
    String filled =
        ConnectConfigs.fill(
            root.resolve("connect-configs").resolve(file),
            ConnectConfigs.placeholders(postgres, database, elasticsearch));
    try {
      ObjectNode body = (ObjectNode) Search.JSON.readTree(filled);
      edit.accept(body);
      ObjectNode config = (ObjectNode) body.path("config");
      boolean source = Path.of(file).getFileName().toString().startsWith("pg-source");
      (source ? options.sourceOverrides() : options.sinkOverrides()).forEach(config::put);
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The collector the worker runs with, unless {@code BENCH_WORKER_JAVA_OPTS} chooses one. Named
   * rather than left to the JVM: the JVM picks by the cores it may use, and the worker is pinned to
   * one, where it picked the serial collector; Kafka's scripts give a worker G1. On that one core,
   * G1 cost the worker about half as much CPU again per snapshot row as the parallel collector (see
   * "Worker JVM" in docs/benchmarks.md), which is what README's operations section suggests for a
   * worker limited to one core.
   */
  static final String WORKER_GC = "-XX:+UseParallelGC";

  /**
   * The worker's heap limit, its collector ({@link #WORKER_GC}), then {@code
   * BENCH_WORKER_JAVA_OPTS} split at spaces (e.g. {@code
   * -XX:StartFlightRecording=filename=/tmp/worker.jfr} to profile the worker, or {@code
   * -XX:+UseG1GC} for another collector).
   */
  static List<String> workerJvmOptions(BenchOptions options) {
    List<String> jvmOptions = new java.util.ArrayList<>();
    jvmOptions.add("-Xmx" + options.workerHeapMb() + "m");
    String extra = System.getenv("BENCH_WORKER_JAVA_OPTS");
    List<String> extras =
        extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    if (extras.stream().noneMatch(BenchStack::choosesCollector)) {
      jvmOptions.add(WORKER_GC); // two collectors named would stop the JVM from starting
    }
    jvmOptions.addAll(extras);
    return jvmOptions;
  }

  static boolean choosesCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
  }

  /**
   * The bytes a topic's partitions take in the broker's log directories: what a user's brokers
   * store for it, with the compression the producer chose.
   */
  long topicBytes(String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
      long bytes = 0;
      for (var logDirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var logDir : logDirs.values()) {
          for (var replica : logDir.replicaInfos().entrySet()) {
            if (replica.getKey().topic().equals(topic)) {
              bytes += replica.getValue().size();
            }
          }
        }
      }
      return bytes;
    }
  }

  /** POSTs a connector; returns the nanoTime just before the request. */
  long create(ObjectNode body) {
    long started = System.nanoTime();
    ConnectRest.Response response = worker.rest().post("/connectors", body.toString());
    if (response.status() != 201) {
      throw new IllegalStateException(
          "Kafka Connect refused " + body.path("name").asText() + ": " + response.body());
    }
    return started;
  }

  /** Waits until the connector and a task run; fails at once when one has FAILED. */
  void awaitRunning(String name) {
    worker.rest().awaitRunning(name, 1, START);
  }

  /**
   * {@code PUT /connectors/<name>/stop}, and waits until the connector is STOPPED with no task left
   * (its tasks have committed their offsets and let go of the replication slot).
   */
  void stopConnector(String name) throws InterruptedException {
    worker.rest().put("/connectors/" + name + "/stop", null).ok();
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      ConnectRest.Response status = worker.rest().get("/connectors/" + name + "/status");
      if (status.status() == 200
          && "STOPPED".equals(status.body().path("connector").path("state").asText())
          && status.body().path("tasks").isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not stop in " + START + ": " + status.body());
      }
      Thread.sleep(250);
    }
  }

  /** {@code PUT /connectors/<name>/resume} of a stopped connector; its tasks start again. */
  void resumeConnector(String name) {
    worker.rest().put("/connectors/" + name + "/resume", null).ok();
  }

  void delete(String connector) {
    worker.rest().delete("/connectors/" + connector);
  }

  /**
   * Drops the replication slots of a database once their connectors are gone: a deleted connector
   * keeps its slot on purpose, and a forgotten slot would keep WAL for the rest of the run.
   */
  void dropSlots(String database) throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Connection admin = postgres.superuserConnection("postgres");
        PreparedStatement slots =
            admin.prepareStatement(
                "SELECT slot_name, active FROM pg_replication_slots WHERE database = ?");
        PreparedStatement drop = admin.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
      slots.setString(1, database);
      while (System.nanoTime() < deadline) {
        boolean left = false;
        try (ResultSet rs = slots.executeQuery()) {
          while (rs.next()) {
            left = true;
            if (!rs.getBoolean("active")) {
              drop.setString(1, rs.getString("slot_name"));
              drop.execute();
            }
          }
        }
        if (!left) {
          return;
        }
        Thread.sleep(500);
      }
    }
  }

  private static Path required(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " is missing: build first with ./mvnw install -DskipTests (./bench.sh does that"
              + " unless given --no-build).");
    }
    return file;
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    AutoCloseable component;
    while ((component = started.poll()) != null) {
      try {
        component.close();
      } catch (Exception e) {
        System.err.println("bench: " + component + " did not stop cleanly: " + e);
      }
    }
  }

  @Override
  public void close() {
    closeAll(started);
  }
}
