package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.DBNAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.HOSTNAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.PASSWORD;
import static io.pgsearch.connect.source.PostgresSourceConfig.PORT;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_ROOT_CERT;
import static io.pgsearch.connect.source.PostgresSourceConfig.USER;

import io.pgsearch.connect.source.CapturePlan.Problem;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Opens the connector's own JDBC connection (for validation and set-up; Debezium's task opens its
 * own) and says which key a failure to connect belongs to.
 */
final class PostgresConnections {
  private PostgresConnections() {}

  static Connection open(PostgresSourceConfig config) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.string(USER));
    if (config.password() != null) {
      props.setProperty("password", config.password());
    }
    props.setProperty("sslmode", config.sslMode());
    if (config.isSet(SSL_ROOT_CERT)) {
      props.setProperty("sslrootcert", config.string(SSL_ROOT_CERT));
    }
    if (config.isSet(SSL_CA_PEM)) {
      props.setProperty("sslfactory", DebeziumProperties.SINGLE_CERT_FACTORY);
      props.setProperty("sslfactoryarg", config.string(SSL_CA_PEM).strip());
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "20");
    props.setProperty("socketTimeout", "60");
    props.setProperty("ApplicationName", "pgsearch-connect " + config.connectorToken());
    // The driver directly, not DriverManager: Connect's plugin class loaders hide it there.
    Connection connection = new Driver().connect(url(config), props);
    if (connection == null) {
      throw new SQLException("pgjdbc did not accept " + url(config), "08001");
    }
    return connection;
  }

  static String url(PostgresSourceConfig config) {
    String host = config.string(HOSTNAME);
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "jdbc:postgresql://" + host + ":" + config.integer(PORT) + "/" + config.string(DBNAME);
  }

  /** The key to fix when connecting failed, with a message that says what happened. */
  static Problem connectProblem(PostgresSourceConfig config, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String user = config.string(USER);
    if (state.equals("28P01")) {
      return new Problem(
          PASSWORD, "PostgreSQL refused the password of user " + user + ": " + e.getMessage());
    }
    if (state.startsWith("28")) {
      return new Problem(USER, "PostgreSQL refused user " + user + ": " + e.getMessage());
    }
    if (state.equals("3D000")) {
      return new Problem(
          DBNAME, "Database " + config.string(DBNAME) + " does not exist: " + e.getMessage());
    }
    if (state.equals("42501")) {
      return new Problem(USER, "User " + user + " may not connect: " + e.getMessage());
    }
    return new Problem(
        HOSTNAME,
        "Cannot reach PostgreSQL at "
            + config.string(HOSTNAME)
            + ":"
            + config.integer(PORT)
            + ": "
            + e.getMessage());
  }
}
