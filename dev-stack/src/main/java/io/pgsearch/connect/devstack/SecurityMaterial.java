package io.pgsearch.connect.devstack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and users of a secured node, and the settings that turn its security on: for
 * Elasticsearch made with the distribution's own tools ({@code elasticsearch-certutil}, {@code
 * elasticsearch-keystore}, {@code elasticsearch-users}); for OpenSearch by {@link
 * OpenSearchSecurity}.
 */
record SecurityMaterial(
    String adminUser,
    String adminPassword,
    String writerPassword,
    String caPem,
    Path caFile,
    Map<String, String> settings) {
  static final String WRITER_USER = "pgsearch_writer";

  static SecurityMaterial create(Path home, Path javaHome) {
    Path config = home.resolve("config");
    Path certs = config.resolve("certs");
    Path log = home.resolve("logs/security-setup.log");
    Map<String, String> env = SearchNode.environment(javaHome, home, "-Xms64m -Xmx256m");
    try {
      Files.createDirectories(certs);
      Path caZip = home.resolve("ca.zip");
      tool(
          home,
          env,
          log,
          null,
          "elasticsearch-certutil",
          "ca",
          "--silent",
          "--pem",
          "--out",
          caZip.toString());
      Zips.extract(caZip, certs, false);
      Path nodeZip = home.resolve("node.zip");
      tool(
          home,
          env,
          log,
          null,
          "elasticsearch-certutil",
          "cert",
          "--silent",
          "--pem",
          "--ca-cert",
          certs.resolve("ca/ca.crt").toString(),
          "--ca-key",
          certs.resolve("ca/ca.key").toString(),
          "--name",
          "node",
          "--ip",
          "127.0.0.1",
          "--dns",
          "localhost",
          "--out",
          nodeZip.toString());
      Zips.extract(nodeZip, certs, false);

      String elasticPassword = Passwords.random("es-");
      String writerPassword = Passwords.random("wr-");
      tool(home, env, log, null, "elasticsearch-keystore", "create");
      tool(
          home,
          env,
          log,
          elasticPassword + "\n",
          "elasticsearch-keystore",
          "add",
          "-x",
          "bootstrap.password");
      Files.writeString(
          config.resolve("roles.yml"),
          SearchNode.WRITER_ROLE
              + ":\n  cluster: [\"monitor\", \"manage_index_templates\"]\n"
              + "  indices:\n    - names: [\"*\"]\n      privileges: [\"all\"]\n");
      tool(
          home,
          env,
          log,
          null,
          "elasticsearch-users",
          "useradd",
          WRITER_USER,
          "-p",
          writerPassword,
          "-r",
          SearchNode.WRITER_ROLE);

      Path caFile = certs.resolve("ca/ca.crt");
      return new SecurityMaterial(
          "elastic",
          elasticPassword,
          writerPassword,
          Files.readString(caFile),
          caFile,
          elasticsearchSettings());
    } catch (IOException e) {
      throw new UncheckedIOException("Setting up security in " + home, e);
    }
  }

  /** The {@code elasticsearch.yml} settings that turn security on with these files. */
  private static Map<String, String> elasticsearchSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("xpack.security.enabled", "true");
    settings.put("xpack.security.http.ssl.enabled", "true");
    settings.put("xpack.security.http.ssl.key", "certs/node/node.key");
    settings.put("xpack.security.http.ssl.certificate", "certs/node/node.crt");
    settings.put("xpack.security.http.ssl.certificate_authorities", "certs/ca/ca.crt");
    return settings;
  }

  SSLContext sslContext() {
    try (InputStream in = new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("pgsearch-dev-ca", ca);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), new SecureRandom());
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot build an SSL context from the dev CA", e);
    }
  }

  @Override
  public String toString() {
    return "SecurityMaterial[ca=" + caFile + "]"; // never the passwords
  }

  private static void tool(
      Path home, Map<String, String> env, Path log, String stdin, String tool, String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(home.resolve("bin").resolve(tool).toString());
    command.addAll(List.of(args));
    ChildProcess.run(command, home, env, stdin, log);
  }
}
