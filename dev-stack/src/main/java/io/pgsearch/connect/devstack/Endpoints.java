package io.pgsearch.connect.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the running stack listens, as the run command prints it and writes it to {@code
 * endpoints.json}. The PostgreSQL password is in both on purpose: this is a local dev stack, and
 * these are the only two places it appears.
 */
record Endpoints(
    PostgresNode postgres,
    String database,
    KafkaBroker kafka,
    ConnectWorkerProcess worker,
    MetricsAgent metrics,
    List<String> connectors,
    SearchNode elasticsearch,
    Path logFile) {

  /** A row the sample data does not have, and a query that finds only it. */
  static final String SAMPLE_INSERT =
      "INSERT INTO products (id, sku, name, price, tags)"
          + " VALUES (10001, 'SKU-10001', 'Yellow umbrella', 19.90, ARRAY['rain']);";

  String searchCommand() {
    return "curl -s '" + elasticsearch.url() + "/products/_search?q=name:umbrella&pretty'";
  }

  /** An order as a document, with its customer and items (the example document's index). */
  String documentCommand() {
    return "curl -s '" + elasticsearch.url() + "/order_documents/_doc/1?pretty'";
  }

  String psqlUrl() {
    return "postgresql://"
        + postgres.user()
        + ":"
        + postgres.password()
        + "@"
        + postgres.host()
        + ":"
        + postgres.port()
        + "/"
        + database;
  }

  Map<String, Object> toMap() {
    Map<String, Object> pg = new LinkedHashMap<>();
    pg.put("jdbcUrl", postgres.jdbcUrl(database));
    pg.put("host", postgres.host());
    pg.put("port", postgres.port());
    pg.put("database", database);
    pg.put("user", postgres.user());
    pg.put("password", postgres.password());
    pg.put("version", postgres.majorVersion());
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("postgres", pg);
    map.put("kafka", Map.of("bootstrapServers", kafka.bootstrapServers()));
    map.put("connect", Map.of("url", worker.restUrl(), "connectors", connectors));
    map.put("metrics", Map.of("url", metrics.url(), "rules", metrics.rules().toString()));
    // Under "elasticsearch" whichever server runs, so scripts read one key; "product" tells which.
    map.put(
        "elasticsearch",
        Map.of(
            "url",
            elasticsearch.url(),
            "version",
            elasticsearch.version(),
            "product",
            elasticsearch.distribution().product()));
    map.put(
        "logs",
        Map.of(
            "stack", logFile.toString(),
            "connect", worker.log().toString(),
            "elasticsearch", elasticsearch.home().resolve("logs").toString()));
    map.put("pid", ProcessHandle.current().pid());
    return map;
  }

  /** Writes the JSON readable by the owner only, atomically, so a reader never sees half of it. */
  void write(Path file) {
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), toMap());
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing " + file, e);
    }
  }

  void print(PrintStream out, Path file) {
    out.println();
    out.println("  PostgreSQL " + postgres.majorVersion() + "  " + postgres.jdbcUrl(database));
    out.println("                user " + postgres.user() + "  password " + postgres.password());
    out.println("                psql '" + psqlUrl() + "'");
    out.println("  Kafka          " + kafka.bootstrapServers());
    out.println("  Kafka Connect  " + worker.restUrl() + "  (connectors " + connectors + ")");
    out.println("  Metrics        " + metrics.url() + "  (" + MetricsAgent.RULES + ")");
    String product = elasticsearch.distribution().isOpenSearch() ? "OpenSearch" : "Elasticsearch";
    out.println(
        "  "
            + String.format(Locale.ROOT, "%-13s", product)
            + "  "
            + elasticsearch.url()
            + "  ("
            + elasticsearch.version()
            + ")");
    out.println();
    out.println("  The same as JSON: " + file);
    out.println("  Logs: " + logFile + ", " + worker.log());
    out.println();
    out.println("Try it: insert a row (psql above, or any SQL client on the JDBC URL)");
    out.println("  " + SAMPLE_INSERT);
    out.println("and search for it a second later:");
    out.println("  " + searchCommand());
    out.println("Orders are also indexed as documents with their customer and items (the example");
    out.println("document of connect-configs/examples/pg-source-documents.json):");
    out.println("  " + documentCommand());
    out.println();
    out.println("Press Ctrl-C to stop everything.");
  }
}
