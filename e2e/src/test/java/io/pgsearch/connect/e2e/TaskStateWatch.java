package io.pgsearch.connect.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectRest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Watches the connectors' states through Connect's REST API while faults are injected: a connector
 * or task seen FAILED is recorded, even if a later restart revives it, because a failure that only
 * a restart cures is one a user would have to notice and act on.
 */
final class TaskStateWatch implements AutoCloseable {
  private static final Duration INTERVAL = Duration.ofSeconds(2);

  private final WorkerGroup workers;
  private final List<String> connectors;
  private final Instant start;
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean running = true;

  TaskStateWatch(WorkerGroup workers, List<String> connectors, Instant start) {
    this.workers = workers;
    this.connectors = connectors;
    this.start = start;
    this.thread = new Thread(this::watch, "task-state-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** What was seen FAILED, each with when and the first line of its trace. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  private void watch() {
    while (running) {
      for (String connector : connectors) {
        try {
          ConnectRest.Response response =
              workers.rest().get("/connectors/" + connector + "/status");
          if (response.status() == 200) {
            record(connector, response.body());
          }
        } catch (RuntimeException e) {
          // a worker is down or rebalancing: its state is read on the next round
        }
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void record(String connector, JsonNode status) {
    if ("FAILED".equals(status.path("connector").path("state").asText())) {
      add(connector, status.path("connector"));
    }
    for (JsonNode task : status.path("tasks")) {
      if ("FAILED".equals(task.path("state").asText())) {
        add(connector + " task " + task.path("id").asInt(), task);
      }
    }
  }

  private void add(String what, JsonNode state) {
    String trace = state.path("trace").asText();
    String firstLine = trace.lines().findFirst().orElse("");
    String seen =
        String.format(
            "%.1fs %s FAILED: %s",
            Duration.between(start, Instant.now()).toMillis() / 1000.0, what, firstLine);
    synchronized (failures) {
      // One entry per failure, not one per poll while it stays FAILED.
      if (failures.stream().noneMatch(f -> f.endsWith(what + " FAILED: " + firstLine))) {
        failures.add(seen);
        System.out.println("TASK " + seen);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
