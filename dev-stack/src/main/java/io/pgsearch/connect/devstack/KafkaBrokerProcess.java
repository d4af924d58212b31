package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka (KRaft broker and controller) in its own JVM, on a fixed port with its data
 * on disk: it can be stopped, killed and started again where its clients look for it, as a real
 * broker restart. {@link KafkaBroker} runs in the test JVM and cannot come back on its port.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final Path home;
  private final String classpath;
  private final int port;
  private ChildProcess process;

  private KafkaBrokerProcess(Path home, String classpath, int port) {
    this.home = home;
    this.classpath = classpath;
    this.port = port;
  }

  /**
   * Formats a data directory and starts the broker.
   *
   * @param workDir where the broker's config, data and log go
   * @param classpath Kafka's server classes (a Connect worker's classpath has them)
   */
  public static KafkaBrokerProcess start(Path workDir, String classpath) {
    int port = FreePorts.next();
    int controllerPort = FreePorts.next();
    Path home = workDir.resolve("kafka-" + port);
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", home.resolve("data").toString());
    props.put("auto.create.topics.enable", "false");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    try {
      Files.createDirectories(home);
      Path config = ChildJvmFiles.writeProperties(home.resolve("server.properties"), props);
      ChildJvmFiles.writeConsoleLogging(home.resolve("log4j2.properties"), "WARN");
      KafkaBrokerProcess broker = new KafkaBrokerProcess(home, classpath, port);
      ChildProcess.run(
          broker.java(
              "kafka.tools.StorageTool",
              "format",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              config.toString()),
          home,
          Map.of(),
          null,
          home.resolve("format.log"));
      broker.startAgain();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting a Kafka broker in " + home, e);
    }
  }

  private List<String> java(String main, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m",
                "-Xmx512m",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"),
                "-cp",
                classpath,
                main));
    command.addAll(List.of(args));
    return command;
  }

  /** Starts the broker (again) on its port and data, and waits until it answers. */
  public synchronized void startAgain() {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        ChildProcess.start(
            java("kafka.Kafka", home.resolve("server.properties").toString()),
            home,
            Map.of(),
            home.resolve("broker.log"));
    awaitReady();
  }

  /** Stops the broker gracefully (SIGTERM), keeping its data. */
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
    }
  }

  /** Kills the broker with SIGKILL, as a crash would; its data stays. */
  public synchronized void kill() {
    if (process != null) {
      process.kill();
    }
  }

  private void awaitReady() {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", bootstrapServers());
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(properties)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Kafka exited while starting:\n" + process.tail(40));
        }
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          // not ready yet
        }
      }
    }
    throw new IllegalStateException(
        "Kafka was not ready in " + READY_TIMEOUT + ":\n" + process.tail(40));
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
  }
}
