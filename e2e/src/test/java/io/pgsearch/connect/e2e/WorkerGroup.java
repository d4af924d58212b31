package io.pgsearch.connect.e2e;

import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.ConnectWorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connect workers in their own JVMs forming one distributed cluster (one group, shared config,
 * offset and status topics), with the connector archives on their plugin.path: workers can be
 * killed and replaced, and tasks move between them.
 */
final class WorkerGroup implements AutoCloseable {
  private final Path work;
  private final String bootstrapServers;
  private final String classpath;
  private final List<Path> pluginPath;
  private final Map<String, String> properties;
  private final List<ConnectWorkerProcess> workers = new CopyOnWriteArrayList<>();

  WorkerGroup(
      Path work, String bootstrapServers, String classpath, List<Path> pluginPath, String group) {
    this.work = work;
    this.bootstrapServers = bootstrapServers;
    this.classpath = classpath;
    this.pluginPath = pluginPath;
    this.properties =
        Map.of(
            "group.id",
            group,
            "config.storage.topic",
            group + "-configs",
            "offset.storage.topic",
            group + "-offsets",
            "status.storage.topic",
            group + "-status",
            // A dead worker's tasks move to the others after this delay (default 5 minutes).
            "scheduled.rebalance.max.delay.ms",
            "10000");
  }

  /** Starts {@code count} workers at once and waits until each answers REST. */
  void start(int count) {
    List<CompletableFuture<ConnectWorkerProcess>> starting = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starting.add(CompletableFuture.supplyAsync(this::startOne));
    }
    starting.forEach(f -> workers.add(f.join()));
  }

  private ConnectWorkerProcess startOne() {
    return ConnectWorkerProcess.start(work, bootstrapServers, classpath, pluginPath, properties);
  }

  /** Kills a random worker with SIGKILL; returns its REST port. */
  int killOne(Random random) {
    ConnectWorkerProcess victim = workers.remove(random.nextInt(workers.size()));
    victim.kill();
    return victim.port();
  }

  /** Starts one more worker, e.g. to replace a killed one. */
  int addOne() {
    ConnectWorkerProcess worker = startOne();
    workers.add(worker);
    return worker.port();
  }

  int size() {
    return workers.size();
  }

  /** The REST API of a live worker; any worker forwards to the leader. */
  ConnectRest rest() {
    return workers.get(0).rest();
  }

  /**
   * Sends a REST request until it is accepted: a worker answers 409 during a rebalance and 500
   * while Kafka is unreachable.
   */
  ConnectRest.Response call(String method, String path, Object body, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConnectRest.Response response = null;
    while (System.nanoTime() < deadline) {
      try {
        ConnectRest rest = rest();
        response =
            switch (method) {
              case "POST" -> rest.post(path, body);
              case "PUT" -> rest.put(path, body);
              default -> rest.get(path);
            };
        if (response.status() / 100 == 2) {
          return response;
        }
      } catch (RuntimeException e) {
        // the worker is busy or restarting: try again
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(method + " " + path + " was not accepted: " + response);
  }

  /** The worker logs, for a failure report. */
  List<Path> logs() {
    return workers.stream().map(ConnectWorkerProcess::log).toList();
  }

  @Override
  public void close() {
    workers.forEach(ConnectWorkerProcess::close);
  }
}
