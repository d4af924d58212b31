package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Kafka Connect worker in its own JVM, as in production: Kafka Connect's runtime on the classpath
 * and plugins only on {@code plugin.path}, so each plugin gets its own class loader. This is how
 * the Confluent Hub archives are tested as users install them.
 */
public final class ConnectWorkerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final ChildProcess process;
  private final int port;
  private final Path home;
  private final ConnectRest rest;

  private ConnectWorkerProcess(ChildProcess process, int port, Path home) {
    this.process = process;
    this.port = port;
    this.home = home;
    this.rest = new ConnectRest(this::restUrl);
  }

  /**
   * Starts a worker.
   *
   * @param workDir where the worker's config and log go
   * @param bootstrapServers the Kafka cluster
   * @param classpath the worker's classpath: Kafka Connect's runtime and logging, no plugins
   * @param pluginPath directories holding one unpacked plugin each, or holding such directories
   * @param extraProperties more worker properties (override the defaults)
   */
  public static ConnectWorkerProcess start(
      Path workDir,
      String bootstrapServers,
      String classpath,
      List<Path> pluginPath,
      Map<String, String> extraProperties) {
    return start(workDir, bootstrapServers, classpath, pluginPath, extraProperties, List.of());
  }

  /**
   * Starts a worker with more JVM options, given after the defaults ({@code -Xms256m -Xmx768m}), so
   * that e.g. {@code -Xmx512m} replaces the default heap limit.
   */
  public static ConnectWorkerProcess start(
      Path workDir,
      String bootstrapServers,
      String classpath,
      List<Path> pluginPath,
      Map<String, String> extraProperties,
      List<String> jvmOptions) {
    int port = FreePorts.next();
    Path home = workDir.resolve("connect-worker-" + port);
    Map<String, String> props = WorkerDefaults.common();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "pgsearch-worker-" + port);
    props.put("listeners", "http://127.0.0.1:" + port);
    props.put("rest.advertised.host.name", "127.0.0.1");
    props.put(
        "plugin.path", pluginPath.stream().map(Path::toString).collect(Collectors.joining(",")));
    for (String store : List.of("config", "offset", "status")) {
      props.put(store + ".storage.topic", "pgsearch-worker-" + port + "-" + store + "s");
      props.put(store + ".storage.replication.factor", "1");
    }
    props.putAll(extraProperties);
    try {
      Files.createDirectories(home);
      Path properties = ChildJvmFiles.writeProperties(home.resolve("worker.properties"), props);
      Path log4j =
          ChildJvmFiles.writeConsoleLogging(
              home.resolve("log4j2.properties"),
              "INFO",
              "logger.kafka.name=org.apache.kafka",
              "logger.kafka.level=WARN",
              "logger.connect.name=org.apache.kafka.connect.runtime.Worker",
              "logger.connect.level=INFO");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xms256m");
      command.add("-Xmx768m");
      command.addAll(jvmOptions);
      command.add("-Dlog4j2.configurationFile=" + log4j);
      command.add("-cp");
      command.add(classpath);
      command.add("org.apache.kafka.connect.cli.ConnectDistributed");
      command.add(properties.toString());
      ChildProcess process =
          ChildProcess.start(command, home, Map.of(), home.resolve("worker.log"));
      ConnectWorkerProcess worker = new ConnectWorkerProcess(process, port, home);
      worker.awaitReady();
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting a Connect worker in " + home, e);
    }
  }

  /**
   * Unpacks a Confluent Hub archive into {@code pluginDir}, as {@code confluent-hub install} does.
   */
  public static Path unpackArchive(Path archive, Path pluginDir) {
    try {
      Zips.extract(archive, pluginDir, false);
      return pluginDir;
    } catch (IOException e) {
      throw new UncheckedIOException("Unpacking " + archive, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The Connect worker exited while starting:\n" + process.tail(40));
      }
      try {
        if (rest.get("/connectors").status() == 200) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted", e);
      }
    }
    String tail = process.tail(40);
    close();
    throw new IllegalStateException(
        "The Connect worker was not ready in " + READY_TIMEOUT + ":\n" + tail);
  }

  public String restUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public ConnectRest rest() {
    return rest;
  }

  /** The worker's log file. */
  public Path log() {
    return home.resolve("worker.log");
  }

  /** The worker JVM and any child, for leak checks. */
  public List<ProcessHandle> processTree() {
    return process.tree();
  }

  /**
   * Kills the worker JVM with SIGKILL, as a crash would: no graceful shutdown, no last offset
   * commit, no leaving the group (the others notice when its session times out).
   */
  public void kill() {
    process.kill();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
  }
}
