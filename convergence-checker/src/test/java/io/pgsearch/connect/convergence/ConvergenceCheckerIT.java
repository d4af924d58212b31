package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.ElasticsearchOptions;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.SearchNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real PostgreSQL and a secured Elasticsearch (basic auth, TLS with its own CA): documents written
 * exactly as the transforms and the sink write them (the values of docs/transforms.md's type
 * matrix) converge; documents removed, added and changed on purpose are found, and nothing else.
 */
@ExtendWith(DevStackExtension.class)
class ConvergenceCheckerIT {
  /** A row of the type matrix, as PostgreSQL literals. */
  private static final String COLUMNS =
      "c_numeric_fixed, c_numeric, c_money, c_real, c_double, c_boolean, c_text, c_char, c_bytea,"
          + " c_date, c_time, c_timetz, c_timestamp, c_timestamptz, c_interval, c_json, c_jsonb,"
          + " c_uuid, c_int4range, c_int4range_empty, c_tstzrange, c_point, c_int_array,"
          + " c_text_array, c_timestamptz_array";

  private static final String VALUES =
      "1234567890.0123, 123456789012345678901234567890.123456789, 1234.56, 1.5,"
          + " 3.141592653589793, true, 'Grüße, \"world\"', 'ab', '\\xdeadbeef', '2024-02-29',"
          + " '13:45:30.123456', '13:45:30.5+02', '2024-02-29 13:45:30.123456',"
          + " '2024-02-29 13:45:30.123456+02', '3 days 04:05:06.789',"
          + " '{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}', '{\"b\": {\"c\": true}, \"a\": [1, 2.5]}',"
          + " '0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1', '[1,10)', 'empty',"
          + " '[2024-01-01 00:00:00+02,infinity)', '(13.4,52.5)', '{1,2,3}', '{\"a\",\"b c\"}',"
          + " '{\"2024-01-01 00:00:00+00\"}'";

  /** The same row as the document JSON the type matrix documents. */
  private static final String DOCUMENT =
      "\"c_numeric_fixed\":1234567890.0123,\"c_numeric\":123456789012345678901234567890.123456789,"
          + "\"c_money\":1234.56,\"c_real\":1.5,\"c_double\":3.141592653589793,\"c_boolean\":true,"
          + "\"c_text\":\"Grüße, \\\"world\\\"\",\"c_char\":\"ab   \",\"c_bytea\":\"3q2+7w==\","
          + "\"c_date\":\"2024-02-29\",\"c_time\":\"13:45:30.123456\",\"c_timetz\":\"11:45:30.5Z\","
          + "\"c_timestamp\":\"2024-02-29T13:45:30.123456\","
          + "\"c_timestamptz\":\"2024-02-29T11:45:30.123456Z\",\"c_interval\":\"PT76H5M6.789S\","
          + "\"c_json\":{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null}},"
          + "\"c_jsonb\":{\"a\":[1,2.5],\"b\":{\"c\":true}},"
          + "\"c_uuid\":\"0e5f4c3a-8a52-4a8d-bb6e-2fd0f1b6a8f1\",\"c_int4range\":{\"gte\":1,\"lt\":10},"
          + "\"c_int4range_empty\":null,\"c_tstzrange\":{\"gte\":\"2023-12-31T22:00:00Z\"},"
          + "\"c_point\":{\"lat\":52.5,\"lon\":13.4},\"c_int_array\":[1,2,3],"
          + "\"c_text_array\":[\"a\",\"b c\"],\"c_timestamptz_array\":[\"2024-01-01T00:00:00.000000Z\"]";

  @Test
  void findsExactlyTheMissingExtraAndStaleDocuments(
      PostgresNode postgres, @ElasticsearchOptions(secured = true) SearchNode elasticsearch)
      throws Exception {
    String db = postgres.createDatabase("convergence");
    try (Connection connection = postgres.connect(db);
        Statement sql = connection.createStatement()) {
      sql.execute(
          "CREATE TABLE matrix (id bigint PRIMARY KEY, c_numeric_fixed numeric(14,4), c_numeric"
              + " numeric, c_money money, c_real real, c_double double precision, c_boolean boolean,"
              + " c_text text, c_char char(5), c_bytea bytea, c_date date, c_time time, c_timetz"
              + " timetz, c_timestamp timestamp, c_timestamptz timestamptz, c_interval interval,"
              + " c_json json, c_jsonb jsonb, c_uuid uuid, c_int4range int4range,"
              + " c_int4range_empty int4range, c_tstzrange tstzrange, c_point point, c_int_array"
              + " integer[], c_text_array text[], c_timestamptz_array timestamptz[])");
      sql.execute("SET lc_monetary = 'C'");
      for (int id = 1; id <= 20; id++) {
        sql.execute("INSERT INTO matrix (id, " + COLUMNS + ") VALUES (" + id + ", " + VALUES + ")");
      }
      sql.execute("INSERT INTO matrix (id) VALUES (21)");
      sql.execute(
          "CREATE TABLE lines (order_id bigint, sku text, quantity int, PRIMARY KEY (order_id,"
              + " sku))");
      sql.execute("INSERT INTO lines VALUES (1, 'a|b', 2), (1, 'c', 3), (2, 'a\\b', 4)");
    }
    // Kept in _source, not indexed: the type matrix's mixed JSON arrays cannot be mapped, and the
    // checker reads sources only.
    elasticsearch.request("PUT", "/matrix", "{\"mappings\":{\"dynamic\":false}}");
    StringBuilder bulk = new StringBuilder();
    for (int id = 1; id <= 20; id++) {
      String document = DOCUMENT;
      if (id == 7) {
        // Stale on purpose: another decimal and another instant.
        document =
            document
                .replace("1234567890.0123", "1234567890.0124")
                .replace("2024-02-29T11:45:30.123456Z", "2024-02-29T11:45:31.123456Z");
      } else if (id == 8) {
        // Not stale: the same values written differently (offset, key order, number scale).
        document =
            document
                .replace("\"2024-02-29T11:45:30.123456Z\"", "\"2024-02-29T13:45:30.123456+02:00\"")
                .replace(
                    "{\"a\":[1,2.5],\"b\":{\"c\":true}}", "{\"b\":{\"c\":true},\"a\":[1,2.50]}");
      } else if (id == 5) {
        continue; // missing on purpose
      }
      bulk.append(index("matrix", String.valueOf(id), "{\"id\":" + id + "," + document + "}"));
    }
    bulk.append(index("matrix", "21", "{\"id\":21}"));
    bulk.append(index("matrix", "999", "{\"id\":999," + DOCUMENT + "}")); // extra on purpose
    bulk.append(index("lines", "1|a\\|b", "{\"order_id\":1,\"sku\":\"a|b\",\"quantity\":2}"));
    bulk.append(index("lines", "1|c", "{\"order_id\":1,\"sku\":\"c\",\"quantity\":3}"));
    bulk.append(index("lines", "2|a\\\\b", "{\"order_id\":2,\"sku\":\"a\\\\b\",\"quantity\":4}"));
    SearchNode.Response written = elasticsearch.request("POST", "/_bulk", bulk.toString());
    assertThat(written.body()).doesNotContain("\"errors\":true");

    try (ConvergenceChecker checker =
        new ConvergenceChecker(
            postgres.connect(db),
            ConvergenceChecker.elasticsearchClient(
                elasticsearch.url(),
                elasticsearch.username(),
                elasticsearch.password(),
                elasticsearch.caCertificatePem()),
            true)) {
      ConvergenceReport report = checker.check(TableCheck.of("public.matrix", "matrix"));
      assertThat(report.rows()).isEqualTo(21);
      assertThat(report.documents()).isEqualTo(21);
      assertThat(report.missing()).containsExactly("5");
      assertThat(report.extra()).containsExactly("999");
      assertThat(report.stale())
          .containsExactly(
              new ConvergenceReport.Stale("7", List.of("c_numeric_fixed", "c_timestamptz")));
      assertThat(report.missingCount() + report.extraCount() + report.staleCount()).isEqualTo(3);

      // A row filter: rows 15 and up are not expected, so their documents are extra.
      ConvergenceReport filtered =
          checker.check(TableCheck.of("public.matrix", "matrix").where("id < 15").examples(3));
      assertThat(filtered.rows()).isEqualTo(14);
      assertThat(filtered.extraCount()).isEqualTo(8); // 15..21 and 999
      assertThat(filtered.extra()).hasSize(3);
      assertThat(filtered.missing()).containsExactly("5");

      // Composite keys: ids as the sink builds them, escapes included.
      ConvergenceReport lines = checker.check(TableCheck.of("lines", "lines"));
      assertThat(lines.converged()).as(lines.format()).isTrue();
      assertThat(lines.rows()).isEqualTo(3);
      elasticsearch.request("DELETE", "/lines/_doc/1%7Cc", null);
      assertThat(checker.check(TableCheck.of("lines", "lines")).missing()).containsExactly("1|c");

      // An index that does not exist: every row is missing.
      assertThat(checker.check(TableCheck.of("lines", "no-such-index")).missingCount())
          .isEqualTo(3);
    }

    // The command line, as ./check-convergence.sh runs it.
    Path password = Files.createTempFile("es-password", ".txt");
    Path ca = Files.createTempFile("es-ca", ".pem");
    Path pgPassword = Files.createTempFile("pg-password", ".txt");
    Files.writeString(password, elasticsearch.password());
    Files.writeString(ca, elasticsearch.caCertificatePem());
    Files.writeString(pgPassword, postgres.password());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        CheckConvergence.run(
            new String[] {
              "--jdbc-url", postgres.jdbcUrl(db),
              "--jdbc-user", postgres.user(),
              "--jdbc-password-file", pgPassword.toString(),
              "--table", "public.matrix",
              "--es-url", elasticsearch.url(),
              "--es-user", elasticsearch.username(),
              "--es-password-file", password.toString(),
              "--ca", ca.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("public.matrix -> matrix: 21 rows, 21 documents: DIFFERENT")
        .contains("missing (row without document): 1: [5]")
        .contains("extra (document without row): 1: [999]")
        .contains("stale (fields differ): 1: [7 [c_numeric_fixed, c_timestamptz]]");
  }

  /**
   * A document of related tables: the index is compared with each root inside the filter rebuilt
   * from PostgreSQL as the source connector builds it, nested values named by path.
   */
  @Test
  void findsTheDocumentsThatDifferFromTheirTables(PostgresNode postgres, SearchNode elasticsearch)
      throws Exception {
    String db = postgres.createDatabase("documents");
    try (Connection connection = postgres.connect(db);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text)");
      sql.execute(
          "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers,"
              + " total numeric(10,2), status text)");
      sql.execute(
          "CREATE TABLE order_items (order_id bigint REFERENCES orders, line int, product text,"
              + " quantity int, PRIMARY KEY (order_id, line))");
      sql.execute("INSERT INTO customers VALUES (1, 'Ann'), (2, 'Bob')");
      sql.execute(
          "INSERT INTO orders VALUES (1, 1, 12.50, 'paid'), (2, 2, 3.00, 'paid'),"
              + " (3, 1, 1.00, 'draft'), (4, NULL, 5.25, 'paid')");
      sql.execute(
          "INSERT INTO order_items VALUES (1, 1, 'red', 2), (1, 2, 'blue', 1), (2, 1, 'green', 5)");
    }
    String one =
        "{\"id\":1,\"customer_id\":1,\"total\":12.50,\"status\":\"paid\","
            + "\"customer\":{\"id\":1,\"name\":\"Ann\"},\"items\":[{\"line\":1,"
            + "\"product\":\"red\",\"quantity\":2},{\"line\":2,\"product\":\"blue\","
            + "\"quantity\":1}]}";
    String two =
        "{\"id\":2,\"customer_id\":2,\"total\":3.00,\"status\":\"paid\","
            + "\"customer\":{\"id\":2,\"name\":\"Bob\"},\"items\":[{\"line\":1,"
            + "\"product\":\"green\",\"quantity\":5}]}";
    String four =
        "{\"id\":4,\"customer_id\":null,\"total\":5.25,\"status\":\"paid\","
            + "\"customer\":null,\"items\":[]}";
    String staleTwo = two.replace("\"Bob\"", "\"Bobby\"").replace("green", "grey");
    String bulk =
        index("orders_doc", "1", one)
            + index("orders_doc", "2", staleTwo)
            + index("orders_doc", "3", one.replace("\"id\":1,", "\"id\":3,")) // a draft
            + index("orders_doc", "99", one.replace("\"id\":1,", "\"id\":99,"));
    assertThat(elasticsearch.request("POST", "/_bulk", bulk).body())
        .doesNotContain("\"errors\":true");

    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "shop");
    source.put("database.hostname", postgres.host());
    source.put("database.port", String.valueOf(postgres.port()));
    source.put("database.user", postgres.user());
    source.put("database.password", postgres.password());
    source.put("database.dbname", db);
    source.put(
        "document.orders_doc",
        "{\"table\": \"public.orders\", \"filter\": \"status <> 'draft'\", \"fields\":"
            + " {\"customer\": {\"table\": \"public.customers\"}, \"items\": {\"table\":"
            + " \"public.order_items\", \"exclude\": [\"order_id\"]}}}");
    try (ConvergenceChecker checker =
        new ConvergenceChecker(
            postgres.connect(db),
            ConvergenceChecker.elasticsearchClient(elasticsearch.url(), null, null, null),
            true)) {
      ConvergenceReport report = checker.check(DocumentCheck.of("orders_doc", source));
      assertThat(report.rows()).as("roots inside the filter").isEqualTo(3);
      assertThat(report.documents()).isEqualTo(4);
      assertThat(report.missing()).containsExactly("4");
      assertThat(report.extra()).containsExactlyInAnyOrder("3", "99");
      assertThat(report.stale())
          .containsExactly(
              new ConvergenceReport.Stale("2", List.of("customer.name", "items[0].product")));

      // Put right: the index now holds exactly the documents.
      elasticsearch.request(
          "POST",
          "/_bulk",
          index("orders_doc", "2", two)
              + index("orders_doc", "4", four)
              + "{\"delete\":{\"_index\":\"orders_doc\",\"_id\":\"3\"}}\n"
              + "{\"delete\":{\"_index\":\"orders_doc\",\"_id\":\"99\"}}\n");
      ConvergenceReport converged = checker.check(DocumentCheck.of("orders_doc", source));
      assertThat(converged.converged()).as(converged.format()).isTrue();
      assertThat(converged.rows()).isEqualTo(3);

      // A change in a related table makes its documents stale, found through the definition.
      try (Connection connection = postgres.connect(db);
          Statement sql = connection.createStatement()) {
        sql.execute("UPDATE customers SET name = 'Annie' WHERE id = 1");
      }
      assertThat(checker.check(DocumentCheck.of("orders_doc", source)).stale())
          .containsExactly(new ConvergenceReport.Stale("1", List.of("customer.name")));
    }

    // The command line, with the config file users POST to Connect.
    Path config = Files.createTempFile("pg-source", ".json");
    Map<String, Object> wrapped = new HashMap<>();
    wrapped.put("name", "pg-source");
    Map<String, String> withoutConnection = new HashMap<>(source);
    withoutConnection.put("database.hostname", "{{PG_HOST}}");
    withoutConnection.remove("database.password");
    wrapped.put("config", withoutConnection);
    ConvergenceChecker.JSON.writeValue(config.toFile(), wrapped);
    Path pgPassword = Files.createTempFile("pg-password", ".txt");
    Files.writeString(pgPassword, postgres.password());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] arguments = {
      "--jdbc-url", postgres.jdbcUrl(db),
      "--jdbc-user", postgres.user(),
      "--jdbc-password-file", pgPassword.toString(),
      "--document", "orders_doc",
      "--source-config", config.toString(),
      "--es-url", elasticsearch.url()
    };
    int status =
        CheckConvergence.run(
            arguments, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("document orders_doc -> orders_doc: 3 rows, 3 documents: DIFFERENT")
        .contains("stale (fields differ): 1: [1 [customer.name]]");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    arguments[7] = "no_such_document";
    status =
        CheckConvergence.run(
            arguments,
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no document.no_such_document key; it defines the documents orders_doc");
  }

  private static String index(String index, String id, String source) {
    return "{\"index\":{\"_index\":\""
        + index
        + "\",\"_id\":\""
        + id.replace("\\", "\\\\")
        + "\"}}\n"
        + source
        + "\n";
  }
}
