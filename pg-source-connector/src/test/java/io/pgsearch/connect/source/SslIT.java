package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.CONNECTOR_CLASS;
import static io.pgsearch.connect.source.SourceFixture.changes;
import static io.pgsearch.connect.source.SourceFixture.config;
import static io.pgsearch.connect.source.SourceFixture.errorsOn;
import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsearch.connect.devstack.CertificateAuthority;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.ConnectRest.Response;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.devstack.PostgresOptions;
import io.pgsearch.connect.devstack.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL that accepts the connector's role over SSL only ({@code hostssl}), with a certificate
 * signed by its own CA: verified connections capture rows, a wrong CA or no SSL is reported on the
 * key to fix, and the password never shows in the REST API.
 */
@ExtendWith(DevStackExtension.class)
class SslIT {
  private final PostgresNode postgres;
  private final ConnectCluster connect;

  SslIT(@PostgresOptions(ssl = true) PostgresNode postgres, ConnectCluster connect) {
    this.postgres = postgres;
    this.connect = connect;
  }

  private String database() throws Exception {
    String db = postgres.createDatabase("ssl");
    sql(postgres, db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
    return db;
  }

  private Response validate(Map<String, String> config) {
    Map<String, String> named = new HashMap<>(config);
    named.put("name", "ssl-probe");
    return connect.rest().validate(CONNECTOR_CLASS, named);
  }

  @Test
  void verifyFullWithTheCaAsPemCapturesRowsAndThePasswordStaysOutOfTheRestApi(@TempDir Path dir)
      throws Exception {
    String db = database();
    sql(postgres, db, "INSERT INTO items VALUES (1, 'snapshot')");
    Map<String, String> config = config(postgres, db, "sslcap");
    config.put("ssl.ca.pem", postgres.caCertificatePem());
    config.put("database.sslmode", "verify-full");
    Response plain = validate(config);
    assertThat(plain.validationErrors()).isEmpty();
    // PASSWORD keys are masked in the validate response.
    assertThat(plain.body().toString()).doesNotContain(postgres.password());

    // As a user should: the password from a config provider, so the REST API never has it.
    Path secrets = dir.resolve("pg.properties");
    Files.writeString(secrets, "password=" + postgres.password() + "\n");
    config.put("database.password", "${file:" + secrets + ":password}");
    SourceFixture.start(connect, "ssl-capture", config);
    sql(postgres, db, "INSERT INTO items VALUES (2, 'streamed')");
    await()
        .atMost(SourceFixture.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(changes(connect, "sslcap.public.items"))
                    .extracting(e -> e.row().path("name").asText())
                    .containsExactly("snapshot", "streamed"));
    for (String path : new String[] {"/connectors/ssl-capture", "/connectors/ssl-capture/config"}) {
      assertThat(connect.rest().get(path).body().toString())
          .as(path)
          .contains("${file:")
          .doesNotContain(postgres.password());
    }
    SourceFixture.stop(connect, "ssl-capture");
  }

  @Test
  void verifyCaWithTheCaAsAFileOnTheWorkerPassesValidation() throws Exception {
    Map<String, String> config = config(postgres, database(), "sslfile");
    config.put("database.sslrootcert", postgres.caCertificateFile().toString());
    config.put("database.sslmode", "verify-ca");
    assertThat(validate(config).validationErrors()).isEmpty();
  }

  @Test
  void aCaThatDidNotSignTheServerCertificateIsReportedOnTheCaKey(@TempDir Path dir)
      throws Exception {
    String db = database();
    String otherCa = CertificateAuthority.create("not the server's CA").certificatePem();
    Map<String, String> config = config(postgres, db, "sslwrong");
    config.put("ssl.ca.pem", otherCa);
    config.put("database.sslmode", "verify-full");
    assertThat(errorsOn(validate(config), "ssl.ca.pem"))
        .singleElement()
        .asString()
        .contains("certificate is not trusted");
    assertThat(validate(config).validationErrors()).containsOnlyKeys("ssl.ca.pem");

    Path file = Files.writeString(dir.resolve("other-ca.crt"), otherCa);
    config.remove("ssl.ca.pem");
    config.put("database.sslrootcert", file.toString());
    assertThat(validate(config).validationErrors()).containsOnlyKeys("database.sslrootcert");
    assertThat(errorsOn(validate(config), "database.sslrootcert"))
        .singleElement()
        .asString()
        .contains("certificate is not trusted");
  }

  @Test
  void withoutSslTheServerRefusesAndValidationNamesTheSslMode() throws Exception {
    Map<String, String> config = config(postgres, database(), "sslnone");
    config.put("database.sslmode", "disable");
    Response response = validate(config);
    assertThat(response.validationErrors()).containsOnlyKeys("database.sslmode");
    assertThat(errorsOn(response, "database.sslmode"))
        .singleElement()
        .asString()
        .contains("only over SSL", "verify-full");
  }

  @Test
  void aWrongPasswordIsReportedButNeverEchoed() throws Exception {
    Map<String, String> config = config(postgres, database(), "sslpw");
    config.put("ssl.ca.pem", postgres.caCertificatePem());
    config.put("database.password", Secrets.remember("wrong-pg-" + System.nanoTime()));
    Response response = validate(config);
    assertThat(errorsOn(response, "database.password"))
        .singleElement()
        .asString()
        .contains("refused the password");
    assertThat(response.body().toString()).doesNotContain(config.get("database.password"));
  }
}
