package io.pgsearch.connect.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Both supported majors start ready for logical decoding and demand the application password. */
@ExtendWith(DevStackExtension.class)
class PostgresNodeIT {

  @Test
  void postgres17IsTheDefault(PostgresNode postgres) throws Exception {
    assertReadyForLogicalDecoding(postgres, "17.");
  }

  @Test
  void postgres16CanBeChosen(@PostgresOptions(major = 16) PostgresNode postgres) throws Exception {
    assertReadyForLogicalDecoding(postgres, "16.");
  }

  @Test
  void aWrongPasswordIsRejected(PostgresNode postgres) {
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                    postgres.jdbcUrl("postgres"),
                    postgres.user(),
                    Secrets.remember("wrong-pg-" + System.nanoTime())))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void withSslTheApplicationRoleMustUseSslAndTheServerCertificateIsSignedByTheCa(
      @PostgresOptions(ssl = true) PostgresNode postgres) throws Exception {
    String db = postgres.createDatabase("ssl");
    java.util.Properties verified = new java.util.Properties();
    verified.setProperty("user", postgres.user());
    verified.setProperty("password", postgres.password());
    verified.setProperty("sslmode", "verify-full");
    verified.setProperty("sslrootcert", postgres.caCertificateFile().toString());
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(db), verified);
        Statement statement = connection.createStatement();
        ResultSet ssl =
            statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(ssl.next()).isTrue();
      assertThat(ssl.getBoolean(1)).isTrue();
    }
    java.util.Properties plain = new java.util.Properties();
    plain.setProperty("user", postgres.user());
    plain.setProperty("password", postgres.password());
    plain.setProperty("sslmode", "disable");
    assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(db), plain).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no encryption");
    java.util.Properties otherCa = new java.util.Properties();
    otherCa.putAll(verified);
    java.nio.file.Path other = java.nio.file.Files.createTempFile("other-ca", ".crt");
    java.nio.file.Files.writeString(other, CertificateAuthority.create("other").certificatePem());
    otherCa.setProperty("sslrootcert", other.toString());
    assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(db), otherCa).close())
        .isInstanceOf(SQLException.class);
  }

  private static void assertReadyForLogicalDecoding(PostgresNode postgres, String versionPrefix)
      throws SQLException {
    String database = postgres.createDatabase("ready");
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      assertThat(value(sql, "SHOW server_version")).startsWith(versionPrefix);
      assertThat(value(sql, "SHOW wal_level")).isEqualTo("logical");
      assertThat(
              value(sql, "SELECT rolreplication::text FROM pg_roles WHERE rolname = current_user"))
          .isEqualTo("true");
      // The application role can create a pgoutput slot in its own database.
      assertThat(
              value(
                  sql,
                  "SELECT slot_name FROM pg_create_logical_replication_slot('ready_slot', 'pgoutput')"))
          .isEqualTo("ready_slot");
      sql.execute("SELECT pg_drop_replication_slot('ready_slot')");
    }
  }

  @Test
  void restartKeepsTheRoleTheDatabasesAndTheirRows(PostgresNode postgres) throws Exception {
    String database = postgres.createDatabase("restart");
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE kept (id int PRIMARY KEY)");
      sql.execute("INSERT INTO kept VALUES (1), (2)");
    }
    postgres.restart();
    // The application role logs in with its password, and the rows are still there.
    try (Connection connection = postgres.connect(database);
        Statement sql = connection.createStatement()) {
      assertThat(value(sql, "SELECT count(*) FROM kept")).isEqualTo("2");
    }
  }

  private static String value(Statement sql, String query) throws SQLException {
    try (ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
