package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The run command behind {@code ./dev-stack.sh}: PostgreSQL with the sample shop, Kafka, a Connect
 * worker in its own JVM with the connector archives on its plugin.path, and Elasticsearch; the
 * connectors from connect-configs registered (the source with the example document of orders); the
 * snapshot followed until every row and document is indexed; then the endpoints, until SIGTERM or
 * Ctrl-C stops everything.
 */
public final class DevStackRunner {
  static final String DATABASE = "shop";

  /** The source connector's config: the shipped pg-source.json plus the example document. */
  static final String SOURCE_CONFIG = "connect-configs/examples/pg-source-documents.json";

  private static final String MARKER = ".dev-stack-run";
  private static final String ENDPOINTS = "endpoints.json";
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final Duration GIVE_UP = Duration.ofMinutes(5);

  /**
   * A sink subscribed with {@code topics.regex} sees topics created after it started (the
   * snapshot's, a new table's) only when its consumer refreshes metadata: every 5 minutes by
   * default.
   */
  private static final Map<String, String> WORKER_PROPERTIES =
      Map.of("consumer.metadata.max.age.ms", "3000");

  private final RunnerOptions options;
  private final Stack stack;
  private final PrintStream out;
  private final Path logFile;

  private DevStackRunner(RunnerOptions options, Stack stack, PrintStream out, Path logFile) {
    this.options = options;
    this.stack = stack;
    this.out = out;
    this.logFile = logFile;
  }

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    Path logFile = null;
    try {
      RunnerOptions options = RunnerOptions.parse(args);
      if ("root".equals(System.getProperty("user.name"))) {
        throw new RunFailure(
            "PostgreSQL and Elasticsearch refuse to run as root: run this as an ordinary user.");
      }
      logFile = prepareWorkDir(options.workDir());
      Stack stack = new Stack(out);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stack.stop();
                    // Its endpoints are gone: a reader waiting for the file must not see old ones.
                    deleteQuietly(options.workDir().resolve(ENDPOINTS));
                    out.println("Stopped.");
                  },
                  "dev-stack-shutdown"));
      new DevStackRunner(options, stack, out, logFile).run();
    } catch (Exception | Error e) {
      if (logFile != null) {
        org.slf4j.LoggerFactory.getLogger(DevStackRunner.class).error("The dev stack failed", e);
      }
      System.err.println("dev-stack: " + RunFailure.explain(e));
      if (logFile != null) {
        System.err.println("dev-stack: details in " + logFile);
      }
      System.exit(e instanceof RunnerOptions.UsageException ? 2 : 1);
    }
    new CountDownLatch(1).await(); // until SIGTERM or Ctrl-C runs the shutdown hook
  }

  private void run() throws InterruptedException {
    long started = System.nanoTime();
    Path root = options.root();
    Path sourceArchive = archive("pg-source-connector");
    Path sinkArchive = archive("es-sink-connector");
    Path workerClasspath = required(root.resolve("dev-stack/target/worker.classpath"));
    // pg-source.json with the example document of orders: every table and the orders document.
    Path sourceConfig = required(root.resolve(SOURCE_CONFIG));
    Path sinkConfig = required(root.resolve("connect-configs/es-sink.json"));
    Path sampleSql = required(root.resolve("samples/shop.sql"));
    MetricsAgent metrics = MetricsAgent.forRepository(root);
    SearchDistribution search = options.search();
    if (Jdks.find(search.javaNeeded()).isEmpty()) {
      throw new RunFailure(
          search.displayName()
              + " needs a JDK "
              + search.javaNeeded()
              + " or newer: set ES_JAVA_HOME to one, or use --search "
              + (search.isOpenSearch() ? "opensearch-2" : "elasticsearch-8")
              + ".");
    }
    Path workDir = options.workDir();
    out.println("Starting the dev stack in " + workDir + " (logs: " + logFile + ")");

    CompletableFuture<SearchNode> elasticsearch =
        CompletableFuture.supplyAsync(
            () ->
                stack.start(
                    search.displayName() + " (" + search.version() + ")",
                    () -> SearchNode.builder().distribution(search).workDir(workDir).start()),
            task -> new Thread(task, "start-elasticsearch").start());
    PostgresNode postgres =
        stack.start(
            "PostgreSQL " + options.postgresMajor(),
            () -> PostgresNode.start(options.postgresMajor(), workDir));
    loadSample(postgres, sampleSql);
    out.println(
        "  PostgreSQL " + postgres.majorVersion() + ": database shop loaded from samples/shop.sql");
    KafkaBroker kafka = stack.start("Kafka", DevStackRunner::startKafkaQuietly);
    out.println("  Kafka: " + kafka.bootstrapServers());
    Path plugins = workDir.resolve("plugins");
    ConnectWorkerProcess.unpackArchive(sourceArchive, plugins);
    ConnectWorkerProcess.unpackArchive(sinkArchive, plugins);
    ConnectWorkerProcess worker =
        stack.start(
            "Connect worker",
            () ->
                ConnectWorkerProcess.start(
                    workDir,
                    kafka.bootstrapServers(),
                    read(workerClasspath).trim(),
                    List.of(plugins),
                    WORKER_PROPERTIES,
                    metrics.jvmOptions()));
    out.println("  Kafka Connect: " + worker.restUrl() + " (plugin.path " + plugins + ")");
    out.println("  Metrics (Prometheus): " + metrics.url());
    SearchNode es = elasticsearch.join();
    out.println("  " + es);

    Map<String, String> values = ConnectConfigs.placeholders(postgres, DATABASE, es);
    List<String> connectors = new ArrayList<>();
    for (Path config : List.of(sourceConfig, sinkConfig)) {
      connectors.add(register(worker, config, values));
    }
    for (String connector : connectors) {
      worker.rest().awaitRunning(connector, 1, Duration.ofMinutes(3));
    }
    out.println("  Connectors running: " + connectors);

    try (SnapshotProgress progress =
        new SnapshotProgress(
            postgres,
            DATABASE,
            kafka,
            es,
            topicPrefix(sourceConfig),
            SnapshotProgress.documents(sourceConfig))) {
      follow(progress, worker, connectors);
    }
    Endpoints endpoints =
        new Endpoints(postgres, DATABASE, kafka, worker, metrics, connectors, es, logFile);
    Path file = workDir.resolve(ENDPOINTS);
    out.println();
    out.printf(
        "The dev stack is ready (%d s).%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    endpoints.print(out, file);
    out.flush();
    // Last: scripts wait for this file, and when it appears, everything above has been printed.
    endpoints.write(file);
  }

  /** Prints the snapshot's progress every second until every row is indexed. */
  private void follow(SnapshotProgress progress, ConnectWorkerProcess worker, List<String> names)
      throws InterruptedException {
    boolean terminal = System.console() != null;
    SnapshotProgress.Counts last = null;
    long lastChange = System.nanoTime();
    while (true) {
      for (String name : names) {
        worker.rest().awaitRunning(name, 1, Duration.ofMinutes(1)); // fails at once on FAILED
      }
      SnapshotProgress.Counts counts = progress.read();
      if (!counts.equals(last)) {
        out.print(terminal ? "\r  " + counts + "   " : "  " + counts + "\n");
        out.flush();
        last = counts;
        lastChange = System.nanoTime();
      }
      if (counts.complete()) {
        break;
      }
      Duration still = Duration.ofNanos(System.nanoTime() - lastChange);
      if (counts.captured() >= counts.rows() && still.compareTo(STALL) > 0) {
        out.println(
            (terminal ? "\n" : "")
                + "  Not every row became a document after "
                + STALL.toSeconds()
                + " s: records Elasticsearch rejects go to the dead letter queue (topic"
                + " es-sink-dlq); see "
                + worker.log());
        return;
      }
      if (still.compareTo(GIVE_UP) > 0) {
        throw new RunFailure(
            "The snapshot made no progress for "
                + GIVE_UP.toMinutes()
                + " minutes ("
                + counts
                + "); see "
                + worker.log());
      }
      Thread.sleep(1000);
    }
    if (terminal) {
      out.println();
    }
  }

  /** Kafka's storage formatter prints to stdout; the console is for the run command's own lines. */
  private static KafkaBroker startKafkaQuietly() {
    PrintStream console = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return KafkaBroker.start();
    } finally {
      System.setOut(console);
    }
  }

  private static void loadSample(PostgresNode postgres, Path sql) {
    try (Connection admin = postgres.superuserConnection("postgres");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + postgres.user());
    } catch (SQLException e) {
      throw new IllegalStateException("Creating database " + DATABASE, e);
    }
    try (Connection connection = postgres.connect(DATABASE);
        Statement statement = connection.createStatement()) {
      statement.execute(read(sql));
    } catch (SQLException e) {
      throw new IllegalStateException("Loading " + sql, e);
    }
  }

  /** POSTs a connect-configs file with its placeholders filled; returns the connector's name. */
  private static String register(
      ConnectWorkerProcess worker, Path config, Map<String, String> values) {
    String body = ConnectConfigs.fill(config, values);
    ConnectRest.Response response = worker.rest().post("/connectors", body);
    if (response.status() != 201) {
      throw new RunFailure(
          "Kafka Connect refused "
              + config.getFileName()
              + ": "
              + response.status()
              + " "
              + (response.body() == null ? "" : response.body().path("message").asText()));
    }
    return response.body().path("name").asText();
  }

  private static String topicPrefix(Path sourceConfig) {
    try {
      JsonNode config = new ObjectMapper().readTree(sourceConfig.toFile()).path("config");
      return config.path("topic.prefix").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + sourceConfig, e);
    }
  }

  private Path archive(String module) {
    String name = "pgsearch-" + module + "-" + Versions.pgsearch() + ".zip";
    return required(
        options.root().resolve(module).resolve("target/components/packages").resolve(name));
  }

  private static Path required(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new RunFailure(
          file
              + " is missing: build first with ./mvnw install -DskipTests"
              + " (./dev-stack.sh does that unless given --no-build).");
    }
    return file;
  }

  /**
   * Makes the working directory empty (keeping nothing of a previous run), locks it against a
   * second stack, and sends this JVM's logging (the in-process Kafka broker's too) to a file there.
   */
  private static Path prepareWorkDir(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    Path marker = workDir.resolve(MARKER);
    try (Stream<Path> entries = Files.list(workDir)) {
      if (!Files.exists(marker) && entries.findAny().isPresent()) {
        throw new RunFailure(
            workDir
                + " is not empty and was not made by dev-stack: give --workdir a new directory.");
      }
    }
    FileChannel channel =
        FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new RunFailure(
          "Another dev stack is running in "
              + workDir
              + ": stop it, or give --workdir another directory.");
    }
    // The lock is held until this JVM exits.
    try (Stream<Path> entries = Files.list(workDir)) {
      for (Path entry : entries.filter(e -> !e.equals(marker)).toList()) {
        deleteTree(entry);
      }
    }
    Path logFile = FileLogging.redirect(workDir, "dev-stack.log");
    // Log until the stack has stopped: the shutdown hook logs too.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    return logFile;
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(entry);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.err.println("dev-stack: could not delete " + file + ": " + e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + file, e);
    }
  }
}
