package io.pgsearch.connect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.CertificateAuthority;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.ConnectRest;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.ElasticsearchOptions;
import io.pgsearch.connect.devstack.FreePorts;
import io.pgsearch.connect.devstack.LogCapture;
import io.pgsearch.connect.devstack.SearchNode;
import io.pgsearch.connect.devstack.Secrets;
import io.pgsearch.connect.sink.transport.SearchClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS with the generated CA and basic auth; what validate says when either is wrong. */
@ExtendWith(DevStackExtension.class)
class SecuredElasticsearchSinkIT {
  private final ConnectCluster connect;
  private final SearchNode elasticsearch;

  SecuredElasticsearchSinkIT(
      ConnectCluster connect, @ElasticsearchOptions(secured = true) SearchNode elasticsearch) {
    this.connect = connect;
    this.elasticsearch = elasticsearch;
  }

  @Test
  void indexesOverTlsWithBasicAuthAndPassesValidation(@TempDir Path secrets) throws Exception {
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      String topic = "secured-" + System.nanoTime();
      harness.createTopic(topic, 1);
      Schema value = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
      for (int n = 0; n < 500; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, value, new Struct(value).put("n", n), (long) n);
      }
      harness.flush();
      Map<String, String> config = harness.sinkConfig(topic);
      // As a user should: the password comes from a config provider, not the connector config.
      Path file = secrets.resolve("es.properties");
      Files.writeString(file, "password=" + elasticsearch.writerPassword() + "\n");
      config.put("connection.password", "${file:" + file + ":password}");
      assertThat(errors(validate(config))).isEmpty();

      harness.startSink("secured", config);
      harness.awaitCount(topic, 500, Duration.ofMinutes(1));
      for (String path : List.of("/connectors/secured", "/connectors/secured/config")) {
        assertThat(connect.rest().get(path).body().toString())
            .as(path)
            .contains("${file:")
            .doesNotContain(elasticsearch.writerPassword());
      }
      harness.deleteSink("secured");
    }
  }

  @Test
  void aPasswordTypedIntoTheConfigIsMaskedInTheValidateResponse() {
    Map<String, String> config = securedConfig();
    ConnectRest.Response result = validate(config);
    assertThat(errors(result)).isEmpty();
    assertThat(result.body().toString()).doesNotContain(elasticsearch.writerPassword());
  }

  @Test
  void aWrongPasswordIsReportedOnTheConnectionPassword() {
    Map<String, String> config = securedConfig();
    String wrong = Secrets.remember("wrong-es-" + System.nanoTime());
    config.put("connection.password", wrong);
    ConnectRest.Response result = validate(config);
    assertThat(errors(result, "connection.password"))
        .singleElement()
        .asString()
        .contains("HTTP 401");
    assertThat(result.body().toString()).doesNotContain(wrong);
  }

  @Test
  void aCaThatDidNotSignTheCertificateIsReportedOnTheKeyThatGaveIt(@TempDir Path dir)
      throws Exception {
    String otherCa = CertificateAuthority.create("not the node's CA").certificatePem();
    Map<String, String> config = securedConfig();
    config.put("connection.ssl.ca.pem", otherCa);
    assertThat(errors(validate(config), "connection.ssl.ca.pem"))
        .singleElement()
        .asString()
        .contains("certificate is not trusted");
    config.remove("connection.ssl.ca.pem");
    config.put(
        "connection.ssl.ca.file", Files.writeString(dir.resolve("ca.pem"), otherCa).toString());
    assertThat(errors(validate(config), "connection.ssl.ca.file"))
        .singleElement()
        .asString()
        .contains("certificate is not trusted");
  }

  /**
   * Turning verification off takes an explicit key, and every task start says so in the log; the
   * pipeline then works against the untrusted certificate.
   */
  @Test
  void verificationOffIsExplicitAndWarnedAtEveryTaskStart() {
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch);
        LogCapture log = LogCapture.of(SearchClient.class)) {
      String topic = "insecure-" + System.nanoTime();
      harness.createTopic(topic, 1);
      Schema value = SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).build();
      for (int n = 0; n < 10; n++) {
        harness.send(topic, Schema.INT32_SCHEMA, n, value, new Struct(value).put("n", n), (long) n);
      }
      harness.flush();
      Map<String, String> config = harness.sinkConfig(topic);
      config.remove("connection.ssl.ca.pem");
      config.put("connection.ssl.verification.enabled", "false");
      assertThat(errors(validate(config))).isEmpty();
      long validated = offWarnings(log);
      assertThat(validated).as("warned when validating").isPositive();

      harness.startSink("insecure", config);
      harness.awaitCount(topic, 10, Duration.ofMinutes(1));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> offWarnings(log) > validated);
      long before = offWarnings(log);
      connect.rest().post("/connectors/insecure/restart?includeTasks=true", null);
      Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> offWarnings(log) > before);
      harness.deleteSink("insecure");
    }
  }

  private static long offWarnings(LogCapture log) {
    return log.warnings().stream()
        .filter(line -> line.contains("TLS certificate verification is OFF"))
        .count();
  }

  @Test
  void anUntrustedCertificateIsReportedOnTheCaKey() {
    Map<String, String> config = securedConfig();
    config.remove("connection.ssl.ca.pem");
    assertThat(errors(validate(config), "connection.ssl.ca.pem"))
        .singleElement()
        .asString()
        .contains("certificate is not trusted");
  }

  @Test
  void anUnreachableUrlIsReportedOnTheUrl() {
    Map<String, String> config = securedConfig();
    config.put("connection.url", "https://127.0.0.1:" + FreePorts.next());
    assertThat(errors(validate(config), "connection.url"))
        .singleElement()
        .asString()
        .contains("cannot reach");
  }

  private Map<String, String> securedConfig() {
    try (SinkHarness harness = new SinkHarness(connect, elasticsearch)) {
      return harness.sinkConfig("validate-only");
    }
  }

  private ConnectRest.Response validate(Map<String, String> config) {
    return validate(connect, config);
  }

  /** What Connect's validate endpoint answers for this sink config. */
  static ConnectRest.Response validate(ConnectCluster connect, Map<String, String> config) {
    Map<String, String> named = new java.util.HashMap<>(config);
    named.put("name", "validate-probe");
    return connect.rest().validate(ElasticsearchSinkConnector.class.getName(), named);
  }

  /** Every error of the response, as "key: message". */
  static List<String> errors(ConnectRest.Response validation) {
    List<String> errors = new ArrayList<>();
    validation
        .validationErrors()
        .forEach((key, messages) -> messages.forEach(message -> errors.add(key + ": " + message)));
    return errors;
  }

  /** The errors on {@code key}, after checking that no other key has any. */
  static List<String> errors(ConnectRest.Response validation, String key) {
    assertThat(errors(validation))
        .as("errors on other keys")
        .allMatch(error -> error.startsWith(key + ": "));
    return validation.validationErrors().getOrDefault(key, List.of());
  }
}
