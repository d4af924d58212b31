package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Secures an OpenSearch 2 node as its users secure theirs: the security plugin (published on Maven
 * Central beside the distribution, at the same version plus {@code .0}) installed with {@code
 * bin/opensearch-plugin}, TLS on HTTP and transport with certificates of a throw-away CA, and
 * internal users (an {@code admin} superuser and {@link SecurityMaterial#WRITER_USER}) loaded into
 * the security index at the node's first start.
 */
final class OpenSearchSecurity {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NODE_DN = "CN=node";

  /** No admin certificate is made: the index is initialised from the files at first start. */
  private static final String ADMIN_DN = "CN=pgsearch-admin";

  private OpenSearchSecurity() {}

  static SecurityMaterial install(SearchDistribution distribution, Path home, Path javaHome) {
    if (distribution.major() >= 3) {
      throw new UnsupportedOperationException(
          distribution.displayName()
              + " cannot be secured here: its security plugin on Maven Central (3.4.0.0 only)"
              + " needs the rule-framework plugin, which Maven Central does not publish");
    }
    Path plugin =
        Artifacts.resolve(
            "org.opensearch.plugin", "opensearch-security", distribution.version() + ".0", "zip");
    Path config = home.resolve("config");
    Path log = home.resolve("logs/security-setup.log");
    try {
      Files.createDirectories(log.getParent());
      ChildProcess.run(
          List.of(
              home.resolve("bin/opensearch-plugin").toString(),
              "install",
              "--batch",
              plugin.toUri().toString()),
          home,
          SearchNode.environment("OPENSEARCH", javaHome, home, "-Xms64m -Xmx256m"),
          null,
          log);

      CertificateAuthority ca = CertificateAuthority.create("pgsearch dev-stack OpenSearch CA");
      CertificateAuthority.Issued node =
          ca.issueNode("node", List.of("localhost"), List.of("127.0.0.1"));
      Path certs = Files.createDirectories(config.resolve("certs"));
      Path caFile = certs.resolve("ca.pem");
      Files.writeString(caFile, ca.certificatePem());
      Files.writeString(certs.resolve("node.pem"), node.certificatePem());
      Files.writeString(certs.resolve("node-key.pem"), node.privateKeyPem());

      String adminPassword = Passwords.random("os-");
      String writerPassword = Passwords.random("wr-");
      Path securityConfig = config.resolve("opensearch-security");
      Files.writeString(
          securityConfig.resolve("internal_users.yml"),
          "_meta:\n  type: \"internalusers\"\n  config_version: 2\n"
              + user("admin", adminPassword)
              + user(SecurityMaterial.WRITER_USER, writerPassword));
      Files.writeString(
          securityConfig.resolve("roles.yml"),
          "_meta:\n  type: \"roles\"\n  config_version: 2\n"
              + SearchNode.WRITER_ROLE
              + ":\n  reserved: false\n"
              + "  cluster_permissions: [\"cluster_monitor\", \"cluster_composite_ops\","
              + " \"indices:data/read/scroll*\"]\n"
              + "  index_permissions:\n"
              + "    - index_patterns: [\"*\"]\n      allowed_actions: [\"indices_all\"]\n");
      Files.writeString(
          securityConfig.resolve("roles_mapping.yml"),
          "_meta:\n  type: \"rolesmapping\"\n  config_version: 2\n"
              + "all_access:\n  reserved: false\n  users: [\"admin\"]\n"
              + SearchNode.WRITER_ROLE
              + ":\n  reserved: false\n  users: [\""
              + SecurityMaterial.WRITER_USER
              + "\"]\n");
      return new SecurityMaterial(
          "admin", adminPassword, writerPassword, ca.certificatePem(), caFile, settings());
    } catch (IOException e) {
      throw new UncheckedIOException("Setting up OpenSearch security in " + home, e);
    }
  }

  /** The {@code opensearch.yml} settings of the plugin: paths relative to the config directory. */
  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String layer : List.of("transport", "http")) {
      String prefix = "plugins.security.ssl." + layer + ".";
      settings.put(prefix + "pemcert_filepath", "certs/node.pem");
      settings.put(prefix + "pemkey_filepath", "certs/node-key.pem");
      settings.put(prefix + "pemtrustedcas_filepath", "certs/ca.pem");
    }
    settings.put("plugins.security.ssl.http.enabled", "true");
    settings.put("plugins.security.ssl.transport.enforce_hostname_verification", "false");
    settings.put("plugins.security.allow_default_init_securityindex", "true");
    // Lists, written as YAML lists: a DN holds commas, which a plain value would split at.
    settings.put("plugins.security.nodes_dn", "[\"" + NODE_DN + "\"]");
    settings.put("plugins.security.authcz.admin_dn", "[\"" + ADMIN_DN + "\"]");
    settings.put("plugins.security.audit.type", "noop");
    return settings;
  }

  private static String user(String name, String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String hash = OpenBSDBCrypt.generate("2a", password.getBytes(StandardCharsets.UTF_8), salt, 10);
    return name + ":\n  hash: \"" + hash + "\"\n  reserved: false\n";
  }
}
