package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.KEY_COLUMNS;
import static io.pgsearch.connect.source.PostgresSourceConfig.SIGNAL_DATA_COLLECTION;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_ROOT_CERT;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.pgsearch.connect.source.CapturePlan.Problem;
import io.pgsearch.connect.transforms.ConverterSettings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Validates a configuration as Connect's {@code PUT /connector-plugins/.../config/validate} does:
 * single keys first (ours, then Debezium's own field checks); only when they are all fine, the
 * database: reachability, credentials, privileges, {@code wal_level}, schemas, tables, filters.
 * Every error lands on the key the user has to change. Nothing is created.
 */
final class PostgresSourceValidator {
  /** Debezium keys that our {@code tables}/{@code schemas} and our publication replace. */
  private static final List<String> REPLACED_KEYS =
      List.of(
          "table.include.list", "table.exclude.list", "schema.include.list", "schema.exclude.list");

  private final ConfigDef definition;
  private final Map<String, String> props;
  private final Map<String, ConfigValue> values = new LinkedHashMap<>();

  PostgresSourceValidator(ConfigDef definition, Map<String, String> props) {
    this.definition = definition;
    this.props = props;
  }

  Config validate() {
    definition.validate(props).forEach(value -> values.put(value.name(), value));
    if (!hasErrors()) {
      checkSingleKeys();
    }
    PostgresSourceConfig config = hasErrors() ? null : new PostgresSourceConfig(props);
    if (config != null) {
      checkDebeziumFields(config);
      checkRowSize(config);
    }
    if (config != null && !hasErrors()) {
      checkDatabase(config);
    }
    return new Config(new ArrayList<>(values.values()));
  }

  private void checkSingleKeys() {
    ConverterSettings.nullReplacedByDefault(props)
        .ifPresent(message -> error(ConverterSettings.REPLACE_NULL_WITH_DEFAULT, message));
    try {
      KeyColumns.parse(props.get(KEY_COLUMNS));
    } catch (IllegalArgumentException e) {
      error(KEY_COLUMNS, "Invalid key columns: " + e.getMessage());
    }
    String pem = props.get(SSL_CA_PEM);
    if (pem != null && !pem.isBlank()) {
      if (props.get(SSL_ROOT_CERT) != null && !props.get(SSL_ROOT_CERT).isBlank()) {
        error(SSL_CA_PEM, "Set either " + SSL_CA_PEM + " or " + SSL_ROOT_CERT + ", not both");
      }
      try {
        if (CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
            .isEmpty()) {
          error(SSL_CA_PEM, "No certificate found: expected -----BEGIN CERTIFICATE----- ...");
        }
      } catch (CertificateException e) {
        error(SSL_CA_PEM, "Not a PEM X.509 certificate: " + e.getMessage());
      }
    }
    for (String key : REPLACED_KEYS) {
      if (props.get(key) != null && !props.get(key).isBlank()) {
        error(key, "Not supported by this connector: choose tables with `tables` and `schemas`");
      }
    }
    String autocreate = props.get(DebeziumProperties.PUBLICATION_AUTOCREATE);
    if (autocreate != null && !autocreate.strip().equals("disabled")) {
      error(
          DebeziumProperties.PUBLICATION_AUTOCREATE,
          "This connector manages its publication (with row filters) itself; remove this key");
    }
    String signal = props.get(SIGNAL_DATA_COLLECTION);
    if (signal != null && !signal.isBlank() && TableName.parse(signal).schema() == null) {
      error(SIGNAL_DATA_COLLECTION, "Must be schema.table, e.g. public.pgsearch_signal");
    }
    PostgresSourceConfig partial = new PostgresSourceConfig(props);
    for (String key : partial.malformedRowFilterKeys()) {
      error(key, "A row filter key must be row.filter.<schema>.<table>");
    }
  }

  /** Debezium's own single-field checks on what its task will receive. */
  private void checkDebeziumFields(PostgresSourceConfig config) {
    Map<String, ConfigValue> debezium =
        Configuration.from(DebeziumProperties.base(config))
            .validate(PostgresConnectorConfig.ALL_FIELDS);
    debezium.forEach((key, value) -> value.errorMessages().forEach(message -> error(key, message)));
  }

  private void checkDatabase(PostgresSourceConfig config) {
    Connection connection;
    try {
      connection = PostgresConnections.open(config);
    } catch (SQLException e) {
      Problem problem = PostgresConnections.connectProblem(config, e);
      error(problem.key(), problem.message());
      return;
    }
    try (connection) {
      CapturePlan plan = new CapturePlanner(config, new PostgresCatalog(connection)).plan();
      plan.problems().forEach(problem -> error(problem.key(), problem.message()));
    } catch (SQLException e) {
      error(
          PostgresSourceConfig.DBNAME,
          "Reading the catalog of database "
              + config.string(PostgresSourceConfig.DBNAME)
              + " failed: "
              + e.getMessage());
    }
  }

  /** A row limit above what Kafka takes would fail the task on the first such row. */
  private void checkRowSize(PostgresSourceConfig config) {
    if (config.isSet(PostgresSourceConfig.ROW_MAX_BYTES)
        && config.rowMaxBytes() > config.kafkaMaxBytes()) {
      error(
          PostgresSourceConfig.ROW_MAX_BYTES,
          "Must not exceed what Kafka takes: "
              + config.kafkaMaxBytes()
              + " bytes, the smaller of "
              + PostgresSourceConfig.PRODUCER_MAX_REQUEST_SIZE
              + " and "
              + PostgresSourceConfig.TOPIC_MAX_MESSAGE_BYTES
              + " (1048576 each when not set). Raise those, or leave "
              + PostgresSourceConfig.ROW_MAX_BYTES
              + " unset (half of it)");
    }
  }

  private void error(String key, String message) {
    values.computeIfAbsent(
        key, k -> new ConfigValue(k, props.get(k), List.of(), new ArrayList<>()));
    values.get(key).addErrorMessage(message);
  }

  private boolean hasErrors() {
    return values.values().stream().anyMatch(value -> !value.errorMessages().isEmpty());
  }
}
