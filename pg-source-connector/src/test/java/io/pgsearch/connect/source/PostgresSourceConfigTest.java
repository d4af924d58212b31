package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.connector.postgresql.PostgresConnectorConfig.LogicalDecoder;
import io.debezium.jdbc.TemporalPrecisionMode;
import io.debezium.relational.RelationalDatabaseConnectorConfig.DecimalHandlingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The typed accessors: parsing, defaults derived from other keys, and the keys themselves. */
class PostgresSourceConfigTest {
  private static Map<String, String> required() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "Shop-Search");
    props.put("database.hostname", "db");
    props.put("database.user", "u");
    props.put("database.dbname", "shop");
    props.put("topic.prefix", "shop");
    return props;
  }

  private static PostgresSourceConfig with(String... keysAndValues) {
    Map<String, String> props = required();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      props.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new PostgresSourceConfig(props);
  }

  @Test
  void debeziumsKeysAreTheNamesOfItsFields() {
    // Pinned: these are the names users write; a Debezium rename must not rename them silently.
    assertThat(
            List.of(
                PostgresSourceConfig.HOSTNAME,
                PostgresSourceConfig.PORT,
                PostgresSourceConfig.USER,
                PostgresSourceConfig.PASSWORD,
                PostgresSourceConfig.DBNAME,
                PostgresSourceConfig.SSL_MODE,
                PostgresSourceConfig.SSL_ROOT_CERT,
                PostgresSourceConfig.TOPIC_PREFIX,
                PostgresSourceConfig.KEY_COLUMNS,
                PostgresSourceConfig.PLUGIN_NAME,
                PostgresSourceConfig.SLOT_NAME,
                PostgresSourceConfig.PUBLICATION_NAME,
                PostgresSourceConfig.HEARTBEAT_INTERVAL,
                PostgresSourceConfig.HEARTBEAT_ACTION_QUERY,
                PostgresSourceConfig.SIGNAL_DATA_COLLECTION,
                PostgresSourceConfig.TOMBSTONES_ON_DELETE,
                PostgresSourceConfig.DECIMAL_HANDLING_MODE,
                PostgresSourceConfig.TIME_PRECISION_MODE))
        .containsExactly(
            "database.hostname",
            "database.port",
            "database.user",
            "database.password",
            "database.dbname",
            "database.sslmode",
            "database.sslrootcert",
            "topic.prefix",
            "message.key.columns",
            "plugin.name",
            "slot.name",
            "publication.name",
            "heartbeat.interval.ms",
            "heartbeat.action.query",
            "signal.data.collection",
            "tombstones.on.delete",
            "decimal.handling.mode",
            "time.precision.mode");
    assertThat(PostgresSourceConfig.PRODUCER_MAX_REQUEST_SIZE)
        .isEqualTo("producer.override.max.request.size");
    assertThat(PostgresSourceConfig.TOPIC_MAX_MESSAGE_BYTES)
        .isEqualTo("topic.creation.default.max.message.bytes");
    assertThat(DebeziumProperties.SSL_FACTORY_ARG).isEqualTo("database.sslfactoryarg");
  }

  @Test
  void defaults() {
    PostgresSourceConfig config = with();
    assertThat(config.hostname()).isEqualTo("db");
    assertThat(config.port()).isEqualTo(5432);
    assertThat(config.user()).isEqualTo("u");
    assertThat(config.password()).isNull();
    assertThat(config.dbname()).isEqualTo("shop");
    assertThat(config.topicPrefix()).isEqualTo("shop");
    assertThat(config.sslMode()).isEqualTo("prefer");
    assertThat(config.sslRootCert()).isEmpty();
    assertThat(config.sslCaPem()).isEmpty();
    assertThat(config.schemas()).containsExactly("public");
    assertThat(config.allTables()).isTrue();
    assertThat(config.replicaIdentityAutoset()).isFalse();
    assertThat(config.tablesDiscoveryIntervalMs()).isEqualTo(30_000L);
    assertThat(config.pluginName()).isEqualTo(LogicalDecoder.PGOUTPUT);
    assertThat(config.heartbeatIntervalMs()).isEqualTo(10_000);
    assertThat(config.heartbeatActionQuery())
        .contains(PostgresSourceConfig.DEFAULT_HEARTBEAT_ACTION_QUERY);
    assertThat(config.tombstonesOnDelete()).isTrue();
    assertThat(config.decimalHandlingMode()).isEqualTo(DecimalHandlingMode.PRECISE);
    assertThat(config.timePrecisionMode())
        .isEqualTo(TemporalPrecisionMode.ADAPTIVE_TIME_MICROSECONDS);
  }

  @Test
  void debeziumEnumSettingsParseToDebeziumsEnums() {
    PostgresSourceConfig config =
        with(
            "plugin.name", "decoderbufs",
            "decimal.handling.mode", "string",
            "time.precision.mode", "connect");
    assertThat(config.pluginName()).isEqualTo(LogicalDecoder.DECODERBUFS);
    assertThat(config.decimalHandlingMode()).isEqualTo(DecimalHandlingMode.STRING);
    assertThat(config.timePrecisionMode()).isEqualTo(TemporalPrecisionMode.CONNECT);
  }

  @Test
  void namesFollowTheConnectorUnlessSet() {
    PostgresSourceConfig config = with();
    assertThat(config.connectorToken()).isEqualTo("pgsearch_shop_search");
    assertThat(config.slotName()).isEqualTo("pgsearch_shop_search");
    assertThat(config.publicationName()).isEqualTo("pgsearch_shop_search");
    assertThat(config.signalTable())
        .isEqualTo(new TableName("public", "pgsearch_shop_search_signal"));
    assertThat(config.capturedTablesTable())
        .isEqualTo(new TableName("public", "pgsearch_shop_search_tables"));
    assertThat(config.resyncFunction())
        .isEqualTo(new TableName("public", "pgsearch_shop_search_resync"));

    PostgresSourceConfig own =
        with(
            "slot.name", "my_slot",
            "publication.name", " ",
            "signal.data.collection", "ops.signals");
    assertThat(own.slotName()).isEqualTo("my_slot");
    assertThat(own.publicationName()).as("blank is unset").isEqualTo("pgsearch_shop_search");
    assertThat(own.signalTable()).isEqualTo(new TableName("ops", "signals"));
    assertThat(own.resyncFunction().schema()).as("beside the signal table").isEqualTo("ops");
  }

  @Test
  void theConnectorTokenFallsBackToTheTopicPrefixAndLeavesRoomForSuffixes() {
    Map<String, String> props = required();
    props.remove("name");
    assertThat(new PostgresSourceConfig(props).connectorToken()).isEqualTo("pgsearch_shop");
    props.put("name", "x".repeat(100));
    assertThat(new PostgresSourceConfig(props).connectorToken()).hasSize(56);
  }

  @Test
  void theSignalTableDefaultsToTheFirstSchema() {
    assertThat(with("schemas", " sales , public").signalTable().schema()).isEqualTo("sales");
  }

  @Test
  void tablesAndSchemasAreStrippedAndStarMeansAll() {
    PostgresSourceConfig config =
        with("schemas", "public, sales ", "tables", " orders, sales.items");
    assertThat(config.schemas()).containsExactly("public", "sales");
    assertThat(config.tables())
        .containsExactly(new TableName(null, "orders"), new TableName("sales", "items"));
    assertThat(config.allTables()).isFalse();
    assertThat(with("tables", " * ").tables()).isEmpty();
  }

  @Test
  void rowFiltersAreReadFromTheirKeysSkippingBlankOnes() {
    PostgresSourceConfig config =
        with(
            "row.filter.public.products", "  in_stock = true ",
            "row.filter.sales.orders", " ",
            "row.filter.products", "price > 0",
            "row.filter.public.", "x");
    assertThat(config.rowFilters())
        .containsEntry(new TableName("public", "products"), "in_stock = true")
        .doesNotContainKey(new TableName("sales", "orders"));
    assertThat(config.malformedRowFilterKeys())
        .containsExactlyInAnyOrder("row.filter.products", "row.filter.public.");
    assertThat(PostgresSourceConfig.rowFilterKey(new TableName("public", "products")))
        .isEqualTo("row.filter.public.products");
  }

  @Test
  void keyColumnsAreParsedAndRejectedWithAReason() {
    assertThat(with().keyColumns().forTable(new TableName("public", "t"))).isEmpty();
    assertThat(
            with("message.key.columns", "public.t:a, b")
                .keyColumns()
                .forTable(new TableName("public", "t")))
        .contains(List.of("a", "b"));
    assertThatThrownBy(() -> with("message.key.columns", "no-colon-here").keyColumns())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.table:column1,column2");
  }

  @Test
  void aCaAsPemTextMeansFullVerificationUnlessAModeIsSet() {
    String pem = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----";
    PostgresSourceConfig config = with("ssl.ca.pem", "\n" + pem + "\n");
    assertThat(config.sslCaPem()).contains(pem);
    assertThat(config.sslMode()).isEqualTo("verify-full");
    assertThat(with("ssl.ca.pem", pem, "database.sslmode", "verify-ca").sslMode())
        .isEqualTo("verify-ca");
    assertThat(with("database.sslrootcert", "/etc/ca.pem").sslRootCert()).contains("/etc/ca.pem");
    assertThat(with("database.sslrootcert", " ").sslRootCert()).isEmpty();
  }

  @Test
  void theRowLimitIsHalfOfTheSmallerKafkaLimitUnlessSet() {
    PostgresSourceConfig kafkaDefaults = with();
    assertThat(kafkaDefaults.configuredRowMaxBytes()).isEmpty();
    assertThat(kafkaDefaults.kafkaMaxBytes()).isEqualTo(1_048_576L);
    assertThat(kafkaDefaults.rowMaxBytes()).isEqualTo(524_288L);

    PostgresSourceConfig raised =
        with(
            "producer.override.max.request.size", " 16777216 ",
            "topic.creation.default.max.message.bytes", "8388608");
    assertThat(raised.kafkaMaxBytes()).isEqualTo(8_388_608L);
    assertThat(raised.rowMaxBytes()).isEqualTo(4_194_304L);

    assertThat(with("producer.override.max.request.size", "big").kafkaMaxBytes())
        .as("Connect reports the key's own error; the default stands meanwhile")
        .isEqualTo(1_048_576L);

    PostgresSourceConfig set = with("row.max.bytes", "100000");
    assertThat(set.configuredRowMaxBytes()).isEqualTo(OptionalLong.of(100_000L));
    assertThat(set.rowMaxBytes()).isEqualTo(100_000L);
  }

  @Test
  void aBlankHeartbeatQueryTurnsItOff() {
    assertThat(with("heartbeat.action.query", "  ").heartbeatActionQuery()).isEmpty();
    assertThat(with("heartbeat.action.query", "SELECT 1").heartbeatActionQuery())
        .contains("SELECT 1");
  }

  @Test
  void nullValuesAreLeftOut() {
    Map<String, String> props = required();
    props.put("slot.name", null);
    PostgresSourceConfig config = new PostgresSourceConfig(props);
    assertThat(config.originals()).doesNotContainKey("slot.name");
    assertThat(config.slotName()).isEqualTo("pgsearch_shop_search");
  }
}
