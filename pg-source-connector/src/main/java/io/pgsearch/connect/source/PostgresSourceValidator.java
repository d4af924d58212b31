package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.PostgresSourceConfig.KEY_COLUMNS;
import static io.pgsearch.connect.source.PostgresSourceConfig.SIGNAL_DATA_COLLECTION;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_CA_PEM;
import static io.pgsearch.connect.source.PostgresSourceConfig.SSL_ROOT_CERT;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
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
import java.util.OptionalLong;
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
          RelationalDatabaseConnectorConfig.TABLE_INCLUDE_LIST.name(),
          RelationalDatabaseConnectorConfig.TABLE_EXCLUDE_LIST.name(),
          RelationalDatabaseConnectorConfig.SCHEMA_INCLUDE_LIST.name(),
          RelationalDatabaseConnectorConfig.SCHEMA_EXCLUDE_LIST.name());

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
      // Our keys parse: the definition holds them with their validators.
      checkParsed(new PostgresSourceConfig(props));
    }
    return new Config(new ArrayList<>(values.values()));
  }

  private void checkParsed(PostgresSourceConfig config) {
    checkSingleKeys(config);
    if (hasErrors()) {
      return;
    }
    checkDebeziumFields(config);
    checkRowSize(config);
    if (!hasErrors()) {
      checkDatabase(config);
    }
  }

  private void checkSingleKeys(PostgresSourceConfig config) {
    ConverterSettings.nullReplacedByDefault(props)
        .ifPresent(message -> error(ConverterSettings.REPLACE_NULL_WITH_DEFAULT, message));
    try {
      config.keyColumns();
    } catch (IllegalArgumentException e) {
      error(KEY_COLUMNS, "Invalid key columns: " + e.getMessage());
    }
    checkCaPem(config);
    for (String key : REPLACED_KEYS) {
      if (props.get(key) != null && !props.get(key).isBlank()) {
        error(key, "Not supported by this connector: choose tables with `tables` and `schemas`");
      }
    }
    checkSnapshotMode(config);
    String autocreate = props.get(DebeziumProperties.PUBLICATION_AUTOCREATE);
    if (autocreate != null
        && !autocreate.strip().equals(DebeziumProperties.PUBLICATION_AUTOCREATE_DISABLED)) {
      error(
          DebeziumProperties.PUBLICATION_AUTOCREATE,
          "This connector manages its publication (with row filters) itself; remove this key");
    }
    if (config.signalTable().schema() == null) {
      error(SIGNAL_DATA_COLLECTION, "Must be schema.table, e.g. public.pgsearch_signal");
    }
    for (String key : config.malformedRowFilterKeys()) {
      error(key, "A row filter key must be row.filter.<schema>.<table>");
    }
    config
        .documents()
        .forEach(
            (name, json) -> {
              try {
                DocumentDefinition.parse(name, json);
              } catch (DocumentDefinition.InvalidDefinition e) {
                error(PostgresSourceConfig.DOCUMENT_PREFIX + name, e.getMessage());
              }
            });
  }

  /** An incremental initial load needs Debezium to read no data itself. */
  private void checkSnapshotMode(PostgresSourceConfig config) {
    String mode = props.get(PostgresSourceConfig.SNAPSHOT_MODE);
    if (config.initialLoad() == InitialLoad.INCREMENTAL
        && mode != null
        && !mode.isBlank()
        && !mode.strip().equals(DebeziumProperties.SNAPSHOT_MODE_NO_DATA)) {
      error(
          PostgresSourceConfig.SNAPSHOT_MODE,
          "Contradicts "
              + PostgresSourceConfig.INITIAL_LOAD
              + "="
              + InitialLoad.INCREMENTAL
              + ", which reads the tables itself (and sets this key to "
              + DebeziumProperties.SNAPSHOT_MODE_NO_DATA
              + "): remove this key, or set "
              + PostgresSourceConfig.INITIAL_LOAD
              + "="
              + InitialLoad.BLOCKING);
    }
  }

  /** The PEM as the user typed it is what must hold a certificate. */
  private void checkCaPem(PostgresSourceConfig config) {
    if (config.sslCaPem().isPresent()) {
      String pem = props.get(SSL_CA_PEM);
      if (config.sslRootCert().isPresent()) {
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
          "Reading the catalog of database " + config.dbname() + " failed: " + e.getMessage());
    }
  }

  /** A row limit above what Kafka takes would fail the task on the first such row. */
  private void checkRowSize(PostgresSourceConfig config) {
    OptionalLong configured = config.configuredRowMaxBytes();
    if (configured.isPresent() && configured.getAsLong() > config.kafkaMaxBytes()) {
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
