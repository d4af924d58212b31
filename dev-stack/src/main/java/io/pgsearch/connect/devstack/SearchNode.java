package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A real single-node Elasticsearch or OpenSearch ({@link SearchDistribution}) from its {@code
 * integ-test-zip} distribution, started as a child process on free loopback ports with an explicit
 * heap, ready when cluster health is yellow.
 *
 * <p>Plain mode has security off. {@linkplain Builder#secured() Secured} mode turns on TLS for HTTP
 * with a generated CA, basic authentication for a superuser ({@code elastic}, or {@code admin} on
 * OpenSearch), and a user {@link #writerUser()} whose role may read and write every index.
 *
 * <p>These distributions lack some modules: no painless, no reindex or update-by-query, no ingest
 * processors; Elasticsearch's has no {@code GET /} and no {@code scaled_float}, and API keys cannot
 * be created.
 */
public final class SearchNode implements AutoCloseable {
  /** The role of {@link #writerUser()}: all privileges on every index, cluster monitoring. */
  public static final String WRITER_ROLE = "pgsearch_writer";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Builder options;
  private final Path home;
  private final Path javaHome;
  private final int httpPort;
  private final int transportPort;
  private final SecurityMaterial security;
  private final HttpClient http;
  private ChildProcess process;

  private SearchNode(Builder options, Path home, Path javaHome, SecurityMaterial security) {
    this.options = options;
    this.home = home;
    this.javaHome = javaHome;
    this.httpPort = FreePorts.next();
    this.transportPort = FreePorts.next();
    this.security = security;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (security != null) {
      client.sslContext(security.sslContext());
    }
    this.http = client.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a node: distribution, heap, security and extra settings of its config file. */
  public static final class Builder {
    private SearchDistribution distribution = SearchDistribution.ELASTICSEARCH_8;
    private int heapMb = 512;
    private boolean secured;
    private Path workDir = Path.of("target", "dev-stack");
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {}

    /** Which server, at the version the build pinned and resolved: Elasticsearch 8 by default. */
    public Builder distribution(SearchDistribution distribution) {
      this.distribution = distribution;
      return this;
    }

    public Builder heapMb(int heapMb) {
      this.heapMb = heapMb;
      return this;
    }

    /**
     * TLS on HTTP with a generated CA, basic auth, and a writer user: Elasticsearch's own security,
     * or OpenSearch's security plugin installed from Maven Central.
     */
    public Builder secured() {
      this.secured = true;
      return this;
    }

    /** One more setting of the config file, e.g. {@code thread_pool.write.queue_size}. */
    public Builder setting(String key, String value) {
      settings.put(key, value);
      return this;
    }

    /** Where the node's files go (one directory per node below it). */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    public SearchNode start() {
      String version = distribution.version();
      int javaNeeded = distribution.javaNeeded();
      Path javaHome =
          Jdks.find(javaNeeded)
              .orElseThrow(
                  () ->
                      new MissingJdkException(
                          distribution.displayName()
                              + " ("
                              + version
                              + ") needs a JDK "
                              + javaNeeded
                              + " or newer: set ES_JAVA_HOME to one"));
      String product = distribution.product();
      Path zip = Artifacts.resolve(distribution.groupId(), product, version, "zip");
      Path home = unpack(zip, workDir.resolve(product + "-" + version + "-" + System.nanoTime()));
      SecurityMaterial security = null;
      if (secured) {
        security =
            distribution.isOpenSearch()
                ? OpenSearchSecurity.install(distribution, home, javaHome)
                : SecurityMaterial.create(home, javaHome);
      }
      SearchNode node = new SearchNode(this, home, javaHome, security);
      node.writeConfig();
      node.startProcess();
      return node;
    }
  }

  /** Thrown when no JDK new enough for the requested Elasticsearch can be found. */
  public static final class MissingJdkException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingJdkException(String message) {
      super(message);
    }
  }

  private void writeConfig() {
    Map<String, String> yml = new LinkedHashMap<>();
    yml.put("cluster.name", "pgsearch-dev");
    yml.put("node.name", "node-" + httpPort);
    yml.put("network.host", "127.0.0.1");
    yml.put("http.port", Integer.toString(httpPort));
    yml.put("transport.port", Integer.toString(transportPort));
    yml.put("discovery.type", "single-node");
    yml.put("path.data", home.resolve("data").toString());
    yml.put("path.logs", home.resolve("logs").toString());
    // A shared CI disk can be nearly full; indexes must stay writable regardless.
    yml.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    yml.put("action.destructive_requires_name", "false");
    if (security == null) {
      if (!options.distribution.isOpenSearch()) {
        yml.put("xpack.security.enabled", "false");
      }
    } else {
      yml.putAll(security.settings());
    }
    yml.putAll(options.settings);
    StringBuilder text = new StringBuilder("# Written by dev-stack\n");
    // A YAML list ([...], for OpenSearch's DN settings, whose values hold commas) is written as
    // it is; every other value quoted.
    yml.forEach(
        (key, value) ->
            text.append(key)
                .append(": ")
                .append(value.startsWith("[") ? value : "\"" + value + "\"")
                .append('\n'));
    try {
      Files.writeString(
          home.resolve("config").resolve(options.distribution.product() + ".yml"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the node process and waits until cluster health is at least yellow. */
  public synchronized void startProcess() {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        ChildProcess.start(
            List.of(home.resolve("bin").resolve(options.distribution.product()).toString()),
            home,
            environment(options.heapMb),
            home.resolve("logs/console.log"));
    awaitReady();
  }

  /**
   * Stops the node process (its data stays), e.g. to test an outage; {@link #startProcess()}
   * resumes.
   */
  public synchronized void stopProcess() {
    if (process != null) {
      process.stop(Duration.ofSeconds(30));
      process = null;
    }
  }

  private Map<String, String> environment(int heapMb) {
    return environment(
        options.distribution.environmentPrefix(),
        javaHome,
        home,
        "-Xms" + heapMb + "m -Xmx" + heapMb + "m");
  }

  /** The launcher's environment for Elasticsearch's tools. */
  static Map<String, String> environment(Path javaHome, Path home, String javaOpts) {
    return environment("ES", javaHome, home, javaOpts);
  }

  /** The launcher's environment: {@code prefix} is {@code ES} or {@code OPENSEARCH}. */
  static Map<String, String> environment(String prefix, Path javaHome, Path home, String javaOpts) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(prefix + "_JAVA_HOME", javaHome.toString());
    env.put(prefix + "_PATH_CONF", home.resolve("config").toString());
    env.put(prefix + "_JAVA_OPTS", javaOpts);
    return env;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(this + " exited while starting:\n" + process.tail(40));
      }
      try {
        if (request("GET", "/_cluster/health?wait_for_status=yellow&timeout=1s", null).status()
            == 200) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      sleep(Duration.ofMillis(500));
    }
    String tail = process.tail(40);
    stopProcess();
    throw new IllegalStateException(this + " was not ready in " + READY_TIMEOUT + ":\n" + tail);
  }

  /** An HTTP response from the node. */
  public record Response(int status, String body) {}

  /**
   * Sends a request as the {@code elastic} superuser (secured mode) and returns the response;
   * {@code body}, if given, is sent as JSON (or NDJSON for {@code _bulk}).
   */
  public Response request(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header(
          "Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
    }
    if (security != null) {
      String credentials = username() + ":" + password();
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " on " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + method + " " + path, e);
    }
  }

  /**
   * The documents of {@code index} a search sees once it is refreshed, as a user polling it would
   * count them; -1 while the index does not exist.
   */
  public long refreshedCount(String index) {
    if (request("POST", "/" + index + "/_refresh", null).status() == 404) {
      return -1;
    }
    Response count = request("GET", "/" + index + "/_count", null);
    if (count.status() != 200) {
      throw new IllegalStateException(
          "GET /" + index + "/_count answered " + count.status() + ": " + count.body());
    }
    try {
      return JSON.readTree(count.body()).path("count").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException("The server answered _count with " + count.body(), e);
    }
  }

  /**
   * The mappings of an index, or of the one index behind an alias (the sink creates each index as a
   * generation behind an alias of its name), as JSON text: {@code {"properties": …}}.
   */
  public String mappings(String index) {
    Response response = request("GET", "/" + index + "/_mapping", null);
    if (response.status() != 200) {
      throw new IllegalStateException(
          "GET /" + index + "/_mapping answered " + response.status() + ": " + response.body());
    }
    try {
      var indexes = JSON.readTree(response.body()).elements();
      String mappings = indexes.next().path("mappings").toString();
      if (indexes.hasNext()) {
        throw new IllegalStateException(index + " names more than one index: " + response.body());
      }
      return mappings;
    } catch (IOException e) {
      throw new UncheckedIOException("The server answered _mapping with " + response.body(), e);
    }
  }

  /**
   * Deletes an index, or every index behind an alias of that name (the server refuses to delete
   * through an alias); a missing one is fine.
   */
  public void deleteIndex(String index) {
    Response aliased = request("GET", "/_alias/" + index, null);
    if (aliased.status() != 200) {
      request("DELETE", "/" + index, null);
      return;
    }
    try {
      JSON.readTree(aliased.body())
          .fieldNames()
          .forEachRemaining(concrete -> request("DELETE", "/" + concrete, null));
    } catch (IOException e) {
      throw new UncheckedIOException("The server answered _alias with " + aliased.body(), e);
    }
  }

  /** {@code http://127.0.0.1:port}, or {@code https://} in secured mode. */
  public String url() {
    return (security == null ? "http" : "https") + "://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int transportPort() {
    return transportPort;
  }

  public String version() {
    return options.distribution.version();
  }

  public SearchDistribution distribution() {
    return options.distribution;
  }

  public boolean isSecured() {
    return security != null;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The superuser ({@code elastic}, or {@code admin} on OpenSearch), secured mode only. */
  public String username() {
    requireSecured();
    return security.adminUser();
  }

  public String password() {
    requireSecured();
    return security.adminPassword();
  }

  /**
   * A user with {@link #WRITER_ROLE} (file realm, or OpenSearch's internal users), secured only.
   */
  public String writerUser() {
    requireSecured();
    return SecurityMaterial.WRITER_USER;
  }

  public String writerPassword() {
    requireSecured();
    return security.writerPassword();
  }

  /** The PEM of the CA that signed the node's HTTP certificate, secured mode only. */
  public String caCertificatePem() {
    requireSecured();
    return security.caPem();
  }

  public Path caCertificateFile() {
    requireSecured();
    return security.caFile();
  }

  /** An SSL context trusting only the node's CA, secured mode only. */
  public SSLContext sslContext() {
    requireSecured();
    return security.sslContext();
  }

  /** The node's directory: config, data and logs (logs/console.log has its output). */
  public Path home() {
    return home;
  }

  /** Process handles of the node and its children while it runs, for leak checks. */
  public List<ProcessHandle> processTree() {
    return process == null ? List.of() : process.tree();
  }

  private void requireSecured() {
    if (security == null) {
      throw new IllegalStateException(this + " runs without security: build it with secured()");
    }
  }

  @Override
  public void close() {
    stopProcess();
  }

  @Override
  public String toString() {
    return (options.distribution.isOpenSearch() ? "OpenSearch " : "Elasticsearch ")
        + version()
        + " at "
        + url();
  }

  private static Path unpack(Path zip, Path target) {
    try {
      Zips.extract(zip, target, true);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Unpacking " + zip, e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
