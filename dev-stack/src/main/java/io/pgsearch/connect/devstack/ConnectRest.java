package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The Kafka Connect REST API over plain HTTP and JSON, as a user reaches it with curl. */
public final class ConnectRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(250);

  private final Supplier<String> baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ConnectRest(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A REST response: the status code and the body parsed as JSON (null when empty). */
  public record Response(int status, JsonNode body) {
    /** Fails with the body as the message unless the status is 2xx. */
    public Response ok() {
      if (status / 100 != 2) {
        throw new IllegalStateException("Connect REST answered " + status + ": " + body);
      }
      return this;
    }

    /**
     * The errors of a {@code config/validate} response: each key that has errors, with its
     * messages, in the response's order.
     */
    public Map<String, List<String>> validationErrors() {
      Map<String, List<String>> errors = new LinkedHashMap<>();
      for (JsonNode config : body.path("configs")) {
        JsonNode value = config.path("value");
        for (JsonNode error : value.path("errors")) {
          errors
              .computeIfAbsent(value.path("name").asText(), k -> new ArrayList<>())
              .add(error.asText());
        }
      }
      return errors;
    }
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body);
  }

  public Response put(String path, Object body) {
    return send("PUT", path, body);
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  /** {@code POST /connectors} with the given name and config; fails unless it was created. */
  public Response createConnector(String name, Map<String, String> config) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("config", config);
    return post("/connectors", body).ok();
  }

  /**
   * Changes a connector's config and returns once every task runs it: waits until the tasks'
   * configs hold it, restarts the connector and its tasks (so no task that started on the old
   * config is left), and waits until they are RUNNING again.
   */
  public void reconfigure(String name, Map<String, String> config, int tasks, Duration timeout) {
    put("/connectors/" + name + "/config", config).ok();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!tasksHold(name, config, tasks)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The tasks of " + name + " did not get the new config in " + timeout);
      }
      sleep();
    }
    post("/connectors/" + name + "/restart?includeTasks=true&onlyFailed=false", null).ok();
    awaitRunning(name, tasks, timeout);
  }

  private boolean tasksHold(String name, Map<String, String> config, int tasks) {
    Response response = get("/connectors/" + name + "/tasks");
    if (response.status() != 200 || response.body().size() < tasks) {
      return false;
    }
    for (JsonNode task : response.body()) {
      for (Map.Entry<String, String> entry : config.entrySet()) {
        if (!entry.getValue().equals(task.path("config").path(entry.getKey()).asText(null))) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code PUT /connector-plugins/<class>/config/validate}: the validation result. */
  public Response validate(String connectorClass, Map<String, String> config) {
    String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
    return put("/connector-plugins/" + simpleName + "/config/validate", config).ok();
  }

  /**
   * Waits until the connector and {@code tasks} tasks are RUNNING; fails at once, with the trace,
   * when the connector or a task has FAILED.
   */
  public void awaitRunning(String name, int tasks, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      Response response = get("/connectors/" + name + "/status");
      if (response.status() == 200) {
        status = response.body();
        failIfFailed(name, status);
        if (running(status, tasks)) {
          return;
        }
      }
      sleep();
    }
    throw new IllegalStateException(
        "Connector "
            + name
            + " was not RUNNING with "
            + tasks
            + " tasks in "
            + timeout
            + ": "
            + status);
  }

  private static boolean running(JsonNode status, int tasks) {
    if (!"RUNNING".equals(status.path("connector").path("state").asText())) {
      return false;
    }
    int runningTasks = 0;
    for (JsonNode task : status.path("tasks")) {
      if ("RUNNING".equals(task.path("state").asText())) {
        runningTasks++;
      }
    }
    return runningTasks >= tasks;
  }

  private static void failIfFailed(String name, JsonNode status) {
    if ("FAILED".equals(status.path("connector").path("state").asText())) {
      throw new IllegalStateException(
          "Connector " + name + " FAILED: " + status.path("connector").path("trace").asText());
    }
    for (JsonNode task : status.path("tasks")) {
      if ("FAILED".equals(task.path("state").asText())) {
        throw new IllegalStateException(
            "Task "
                + task.path("id").asInt()
                + " of "
                + name
                + " FAILED: "
                + task.path("trace").asText());
      }
    }
  }

  private Response send(String method, String path, Object body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
              .timeout(Duration.ofSeconds(120))
              .header("Accept", "application/json");
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(
                method, HttpRequest.BodyPublishers.ofString(toJson(body), StandardCharsets.UTF_8));
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String text = response.body();
      return new Response(
          response.statusCode(), text == null || text.isBlank() ? null : JSON.readTree(text));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + method + " " + path, e);
    }
  }

  private static String toJson(Object body) throws JsonProcessingException {
    return body instanceof String text ? text : JSON.writeValueAsString(body);
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
