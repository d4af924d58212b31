package io.pgsearch.connect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsearch.connect.devstack.Artifacts;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's run command, {@code ./dev-stack.sh}, as a person uses it: started, waited for until
 * it writes its endpoints, a row inserted with those endpoints and searched for, then stopped with
 * SIGTERM, after which no process of it may remain and none of its ports may listen.
 */
class RunCommandIT {
  static final Path ROOT = Path.of(System.getProperty("pgsearch.project.root", "..")).normalize();
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  /** With the default server (Elasticsearch 8), and with {@code --search opensearch-2}. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"default", "opensearch-2"})
  void theStackComesUpAnInsertIsSearchableAndSigtermLeavesNothingBehind(String server)
      throws Exception {
    Path workDir = DevStackExtension.workDir().toAbsolutePath().resolve("run-command-" + server);
    Path output =
        DevStackExtension.workDir().toAbsolutePath().resolve("run-command-" + server + ".out");
    Files.createDirectories(output.getParent());
    Path endpointsFile = workDir.resolve("endpoints.json");
    Files.deleteIfExists(endpointsFile); // of an earlier run that was killed
    long started = System.nanoTime();
    List<String> options = new ArrayList<>(List.of("--no-build", "--workdir", workDir.toString()));
    if (!server.equals("default")) {
      options.addAll(List.of("--search", server));
    }
    String product = server.startsWith("opensearch") ? "opensearch" : "elasticsearch";
    Process stack = start(output, options.toArray(String[]::new));
    try {
      awaitFile(stack, endpointsFile, output, Duration.ofMinutes(8));
      System.out.printf(
          "RunCommandIT: ready after %d s%n",
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
      String printed = Files.readString(output);
      assertThat(printed)
          .contains(
              "snapshot: captured 9000/9000 rows, indexed 9000 documents; order_documents"
                  + " 1500/1500")
          .contains(endpoints.path("postgres").path("jdbcUrl").asText())
          .contains(endpoints.path("postgres").path("password").asText())
          .contains(endpoints.path("connect").path("url").asText())
          .contains(endpoints.path("metrics").path("url").asText())
          .contains("The same as JSON: " + endpointsFile)
          .contains(endpoints.path("elasticsearch").path("url").asText())
          .contains("INSERT INTO products");

      // The printed statement, through the endpoints from the file, found by the printed query.
      String insert = line(printed, "^\\s*(INSERT INTO products .*;)$");
      String search = line(printed, "^\\s*curl -s '([^']+)'$");
      assertThat(endpoints.path("elasticsearch").path("product").asText()).isEqualTo(product);
      JsonNode pg = endpoints.path("postgres");
      long inserted;
      try (Connection connection =
              DriverManager.getConnection(
                  pg.path("jdbcUrl").asText(),
                  pg.path("user").asText(),
                  pg.path("password").asText());
          Statement sql = connection.createStatement()) {
        sql.execute(insert);
        inserted = System.nanoTime();
      }
      long deadline = inserted + TimeUnit.SECONDS.toNanos(10);
      JsonNode hits;
      do {
        Thread.sleep(50);
        hits = JSON.readTree(get(search)).path("hits").path("hits");
      } while (hits.size() == 0 && System.nanoTime() < deadline);
      long latencyMs = Duration.ofNanos(System.nanoTime() - inserted).toMillis();
      System.out.printf("RunCommandIT: INSERT searchable after %d ms%n", latencyMs);
      assertThat(hits.size()).as("hits of " + search + " within 10 s").isEqualTo(1);
      assertThat(hits.get(0).path("_source").path("name").asText()).isEqualTo("Yellow umbrella");

      // The printed order document, with its customer and items inside.
      JsonNode order =
          JSON.readTree(get(line(printed, "^\\s*curl -s '([^']+/order_documents/[^']+)'$")));
      assertThat(order.path("_source").path("customer").path("full_name").asText())
          .isEqualTo("Customer 2");
      assertThat(order.path("_source").path("items")).hasSize(3);

      // The worker's metrics, as Prometheus would scrape them, with the snapshot's documents.
      PrometheusScrape metrics =
          PrometheusScrape.of(endpoints.path("metrics").path("url").asText());
      assertThat(metrics.sum("pgsearch_sink_documents_indexed_total", java.util.Map.of()))
          .as("documents the sink indexed, in the printed metrics endpoint")
          .isGreaterThanOrEqualTo(9000);

      List<Integer> ports = ports(endpoints);
      List<ProcessHandle> tree = new ArrayList<>();
      tree.add(stack.toHandle());
      stack.descendants().forEach(tree::add);
      List<ProcessHandle> ofWorkDir = processesMentioning(workDir);
      assertThat(ofWorkDir)
          .as("PostgreSQL, the search server and the worker run in the workdir")
          .hasSizeGreaterThanOrEqualTo(3);

      stack.destroy(); // SIGTERM
      assertThat(stack.waitFor(3, TimeUnit.MINUTES)).as("the stack exits on SIGTERM").isTrue();
      for (ProcessHandle process : tree) {
        assertThat(process.onExit().get(10, TimeUnit.SECONDS).isAlive())
            .as("process " + process.pid() + " " + process.info().commandLine().orElse(""))
            .isFalse();
      }
      assertThat(processesMentioning(workDir)).as("processes left in " + workDir).isEmpty();
      for (int port : ports) {
        assertThat(FreePorts.isListening(port)).as("port " + port + " still listening").isFalse();
      }
      assertThat(Files.readString(output))
          .contains("Stopping Connect worker", "Stopping Kafka")
          .contains(product.equals("opensearch") ? "Stopping OpenSearch" : "Stopping Elasticsearch")
          .contains("Stopping PostgreSQL", "Stopped.")
          .doesNotContain("\tat ");
      assertThat(endpointsFile).as("endpoints of a stopped stack").doesNotExist();
    } finally {
      if (stack.isAlive()) {
        stack.destroyForcibly();
      }
    }
  }

  @Test
  void aBadOptionIsOneClearLineAndANonZeroExit() throws Exception {
    Path output = DevStackExtension.workDir().toAbsolutePath().resolve("run-command-bad.out");
    Files.createDirectories(output.getParent());
    Process stack = start(output, "--no-build", "--es", "7");
    assertThat(stack.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(stack.exitValue()).isNotZero();
    assertThat(Files.readString(output).strip())
        .isEqualTo("dev-stack: --es 7 is not supported: use 8 or 9");
  }

  private static Process start(Path output, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("dev-stack.sh").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    builder
        .environment()
        .put(
            "DEV_STACK_JAVA_OPTS",
            "-D" + Artifacts.REPO_PROPERTY + "=" + Artifacts.localRepository().toAbsolutePath());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.redirectErrorStream(true).redirectOutput(output.toFile());
    return builder.start();
  }

  private static void awaitFile(Process stack, Path file, Path output, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      if (!stack.isAlive()) {
        throw new AssertionError(
            "./dev-stack.sh exited " + stack.exitValue() + ":\n" + Files.readString(output));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "./dev-stack.sh wrote no "
                + file
                + " in "
                + timeout
                + ":\n"
                + Files.readString(output));
      }
      Thread.sleep(250);
    }
  }

  private static String line(String text, String regex) {
    Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
    assertThat(matcher.find()).as(regex + " in the output").isTrue();
    return matcher.group(1);
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .body();
  }

  private static List<Integer> ports(JsonNode endpoints) {
    List<Integer> ports = new ArrayList<>();
    ports.add(endpoints.path("postgres").path("port").asInt());
    for (String server : endpoints.path("kafka").path("bootstrapServers").asText().split(",")) {
      ports.add(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
    }
    ports.add(URI.create(endpoints.path("connect").path("url").asText()).getPort());
    ports.add(URI.create(endpoints.path("metrics").path("url").asText()).getPort());
    ports.add(URI.create(endpoints.path("elasticsearch").path("url").asText()).getPort());
    return ports;
  }

  /** Processes whose command line names the workdir: PostgreSQL, Elasticsearch, the worker. */
  private static List<ProcessHandle> processesMentioning(Path workDir) {
    String dir = workDir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
        .toList();
  }
}
