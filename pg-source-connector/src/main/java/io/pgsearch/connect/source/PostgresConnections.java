package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.DBNAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.HOSTNAME;
import static io.pgsearch.connect.source.PostgresSourceConfig.PASSWORD;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_MODE;
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
    props.setProperty("user", config.user());
    if (config.password() != null) {
      props.setProperty("password", config.password());
    }
    props.setProperty("sslmode", config.sslMode());
    config.sslRootCert().ifPresent(path -> props.setProperty("sslrootcert", path));
    config
        .sslCaPem()
        .ifPresent(
            pem -> {
              props.setProperty("sslfactory", DebeziumProperties.SINGLE_CERT_FACTORY);
              props.setProperty("sslfactoryarg", pem);
            });
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
    String host = config.hostname();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "jdbc:postgresql://" + host + ":" + config.port() + "/" + config.dbname();
  }

  /**
   * SSL failures belong to the SSL keys, not to the host or user: an untrusted certificate to the
   * CA key in use, a server that wants SSL (or has none) to {@code database.sslmode}.
   */
  private static Problem sslProblem(PostgresSourceConfig config, SQLException e, String state) {
    String message = String.valueOf(e.getMessage());
    String at = config.hostname() + ":" + config.port();
    if (state.startsWith("28") && message.contains("no encryption")) {
      return new Problem(
          SSL_MODE,
          "PostgreSQL at "
              + at
              + " accepts user "
              + config.user()
              + " only over SSL, and "
              + SSL_MODE
              + "="
              + config.sslMode()
              + " connected without it: set "
              + SSL_MODE
              + " to verify-full with the server's CA in "
              + SSL_CA_PEM
              + " or "
              + SSL_ROOT_CERT
              + " ("
              + message
              + ")");
    }
    if (message.contains("does not support SSL")) {
      return new Problem(
          SSL_MODE,
          "PostgreSQL at "
              + at
              + " does not accept SSL connections, but "
              + SSL_MODE
              + "="
              + config.sslMode()
              + " requires SSL: turn ssl on in the server or lower "
              + SSL_MODE);
    }
    if (message.contains("could not be verified by hostnameverifier")) {
      return new Problem(
          HOSTNAME,
          "The server certificate of PostgreSQL does not name the host "
              + config.hostname()
              + ": connect with a host name the certificate lists, or use "
              + SSL_MODE
              + "=verify-ca ("
              + message
              + ")");
    }
    if (causedBy(e, javax.net.ssl.SSLException.class)) {
      String key =
          config.sslCaPem().isPresent()
              ? SSL_CA_PEM
              : config.sslRootCert().isPresent() ? SSL_ROOT_CERT : SSL_MODE;
      return new Problem(
          key,
          "The SSL handshake with PostgreSQL at "
              + at
              + " failed, so its certificate is not trusted: "
              + message
              + ". Give the CA that signed the server's certificate in "
              + SSL_CA_PEM
              + " (PEM text) or "
              + SSL_ROOT_CERT
              + " (a file on every worker)");
    }
    return null;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** The key to fix when connecting failed, with a message that says what happened. */
  static Problem connectProblem(PostgresSourceConfig config, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String user = config.user();
    Problem ssl = sslProblem(config, e, state);
    if (ssl != null) {
      return ssl;
    }
    if (state.equals("28P01")) {
      return new Problem(
          PASSWORD, "PostgreSQL refused the password of user " + user + ": " + e.getMessage());
    }
    if (state.startsWith("28")) {
      return new Problem(USER, "PostgreSQL refused user " + user + ": " + e.getMessage());
    }
    if (state.equals("3D000")) {
      return new Problem(
          DBNAME, "Database " + config.dbname() + " does not exist: " + e.getMessage());
    }
    if (state.equals("42501")) {
      return new Problem(USER, "User " + user + " may not connect: " + e.getMessage());
    }
    return new Problem(
        HOSTNAME,
        "Cannot reach PostgreSQL at "
            + config.hostname()
            + ":"
            + config.port()
            + ": "
            + e.getMessage());
  }
}
