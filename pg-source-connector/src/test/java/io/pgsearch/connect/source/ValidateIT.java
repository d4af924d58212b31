package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.CONNECTOR_CLASS;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.errorsOn;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.ConnectRest.Response;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.Secrets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each problem shows up in Connect's validate response, on the key the user has to change. */
@ExtendWith(DevStackExtension.class)
class ValidateIT {

  private static String productsDatabase(PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("validate");
    sql(
        postgres,
        db,
        "CREATE TABLE products (id int PRIMARY KEY, name text, in_stock boolean)",
        "CREATE TABLE logs (line text)");
    return db;
  }

  private static Response validate(ConnectCluster connect, Map<String, String> config) {
    return connect.rest().validate(CONNECTOR_CLASS, config);
  }

  @Test
  void aGoodConfigurationHasNoErrorsAndCreatesNothing(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String db = productsDatabase(postgres);
    Map<String, String> config = config(postgres, db, "ok");
    config.put("name", "validate-ok");
    config.put("row.filter.public.products", "in_stock = true");
    config.put("replica.identity.autoset", "true");
    Response response = validate(connect, config);
    assertThat(response.validationErrors()).isEmpty();
    assertThat(response.body().path("error_count").asInt()).isZero();
    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM pg_publication)"
                    + " + (SELECT count(*) FROM pg_class WHERE relname LIKE 'pgsearch%')")) {
      rows.next();
      assertThat(rows.getInt(1)).as("publications and signal tables created").isZero();
    }
  }

  @Test
  void unreachableHostIsReportedOnTheHostname(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    Map<String, String> config = config(postgres, "postgres", "x");
    try (ServerSocket socket = new ServerSocket(0)) {
      config.put("database.port", String.valueOf(socket.getLocalPort()));
    } // closed now: nothing listens there
    assertThat(errorsOn(validate(connect, config), "database.hostname"))
        .singleElement()
        .asString()
        .contains("Cannot reach PostgreSQL at 127.0.0.1:");
  }

  @Test
  void badPasswordIsReportedOnThePassword(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    Map<String, String> config = config(postgres, productsDatabase(postgres), "x");
    config.put("database.password", Secrets.remember("wrong-pg-" + System.nanoTime()));
    assertThat(errorsOn(validate(connect, config), "database.password"))
        .singleElement()
        .asString()
        .contains("refused the password of user pgsearch");
  }

  @Test
  void missingReplicationAndOwnershipAreReportedOnTheUser(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String db = productsDatabase(postgres);
    String readerPassword = Secrets.remember("reader-pw-" + System.nanoTime());
    try (Connection connection = postgres.superuserConnection(db);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE reader_" + db + " LOGIN PASSWORD '" + readerPassword + "'");
    }
    Map<String, String> config = config(postgres, db, "x");
    config.put("database.user", "reader_" + db);
    config.put("database.password", readerPassword);
    assertThat(errorsOn(validate(connect, config), "database.user"))
        .anySatisfy(e -> assertThat(e).contains("lacks the REPLICATION attribute"))
        .anySatisfy(e -> assertThat(e).contains("does not own [public.products]"));
  }

  @Test
  void unknownSchemasAndTablesAreReportedOnTheirKeys(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String db = productsDatabase(postgres);
    Map<String, String> config = config(postgres, db, "x");
    config.put("schemas", "public,shop");
    config.put("tables", "products,orders");
    Response response = validate(connect, config);
    assertThat(errorsOn(response, "schemas"))
        .singleElement()
        .asString()
        .contains("[shop] do not exist");
    assertThat(errorsOn(response, "tables")).singleElement().asString().contains("[orders]");
  }

  /**
   * Document definitions are checked on their key: first their shape (before any connection), then
   * against the catalog; a good one has no error.
   */
  @Test
  void documentDefinitionsAreCheckedOnTheirKeys(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String db = productsDatabase(postgres);
    sql(
        postgres,
        db,
        "CREATE TABLE reviews (id int PRIMARY KEY, product_id int NOT NULL REFERENCES products,"
            + " stars int)",
        "ALTER TABLE reviews REPLICA IDENTITY FULL",
        "CREATE TABLE notes (id int PRIMARY KEY, product_id int REFERENCES products)");
    Map<String, String> config = config(postgres, db, "x");
    config.put("name", "validate-documents");
    config.put(
        "document.catalogue",
        "{\"table\": \"public.products\", \"fields\": {\"reviews\": {\"table\":"
            + " \"public.reviews\", \"nested\": true}}}");
    assertThat(validate(connect, config).validationErrors()).isEmpty();

    config.put("document.catalogue", "{\"table\": \"public.products\", \"colums\": []}");
    assertThat(errorsOn(validate(connect, config), "document.catalogue"))
        .singleElement()
        .asString()
        .contains("unknown key \"colums\"");

    config.put(
        "document.catalogue",
        "{\"table\": \"public.products\", \"columns\": [\"sku\"], \"fields\": {"
            + "\"notes\": {\"table\": \"public.notes\"},"
            + "\"logs\": {\"table\": \"public.logs\"}}}");
    assertThat(errorsOn(validate(connect, config), "document.catalogue"))
        .anySatisfy(e -> assertThat(e).contains("has no column \"sku\""))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "fields.notes", "REPLICA IDENTITY FULL", "replica.identity.autoset=true"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("fields.logs", "public.logs does not exist or is not captured"))
        .hasSize(3);

    config.put("document.products", "{\"table\": \"public.products\"}");
    assertThat(errorsOn(validate(connect, config), "document.products"))
        .singleElement()
        .asString()
        .contains("also a captured table");
    config.remove("document.products");

    // With replica.identity.autoset, the connector sets the identity a related table needs.
    config.put(
        "document.catalogue",
        "{\"table\": \"public.products\", \"fields\": {\"notes\": {\"table\":"
            + " \"public.notes\"}}}");
    config.put("replica.identity.autoset", "true");
    assertThat(validate(connect, config).validationErrors()).isEmpty();
    SourceFixture.start(connect, "validate-documents", config);
    try (Connection connection = postgres.connect(db);
        Statement statement = connection.createStatement();
        java.sql.ResultSet identity =
            statement.executeQuery(
                "SELECT relreplident FROM pg_class WHERE oid = 'public.notes'::regclass")) {
      identity.next();
      assertThat(identity.getString(1)).as("REPLICA IDENTITY FULL").isEqualTo("f");
    } finally {
      SourceFixture.stop(connect, "validate-documents");
    }
  }

  @Test
  void aFilterThatDoesNotParseIsReportedOnItsKey(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    Map<String, String> config = config(postgres, productsDatabase(postgres), "x");
    config.put("row.filter.public.products", "in_stock = = true");
    assertThat(errorsOn(validate(connect, config), "row.filter.public.products"))
        .singleElement()
        .asString()
        .contains("not a valid condition on public.products", "syntax error");
  }

  @Test
  void aFilterOnColumnsOutsideTheReplicaIdentityIsReportedOnItsKey(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    Map<String, String> config = config(postgres, productsDatabase(postgres), "x");
    config.put("row.filter.public.products", "in_stock = true");
    assertThat(errorsOn(validate(connect, config), "row.filter.public.products"))
        .singleElement()
        .asString()
        .contains("[in_stock]", "REPLICA IDENTITY FULL", "replica.identity.autoset=true");
  }

  @Test
  void walLevelOtherThanLogicalIsReportedOnTheDatabase(ConnectCluster connect) throws Exception {
    try (EmbeddedPostgres replicaOnly =
        EmbeddedPostgres.builder().setServerConfig("wal_level", "replica").start()) {
      try (Connection connection = replicaOnly.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE items (id int PRIMARY KEY)");
      }
      Map<String, String> config = new java.util.LinkedHashMap<>();
      config.put("connector.class", CONNECTOR_CLASS);
      config.put("database.hostname", "localhost");
      config.put("database.port", String.valueOf(replicaOnly.getPort()));
      config.put("database.user", "postgres");
      config.put("database.dbname", "postgres");
      config.put("topic.prefix", "x");
      assertThat(errorsOn(validate(connect, config), "database.dbname"))
          .singleElement()
          .asString()
          .contains("wal_level is 'replica'", "'logical'");
    }
  }
}
