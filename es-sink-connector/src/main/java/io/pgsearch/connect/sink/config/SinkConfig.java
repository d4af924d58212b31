package io.pgsearch.connect.sink.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The sink connector's configuration: definitions by group, typed accessors. */
public final class SinkConfig extends AbstractConfig {
  public static final ConfigDef CONFIG_DEF = configDef();

  public SinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  private static ConfigDef configDef() {
    ConfigDef def = new ConfigDef();
    ConnectionConfigs.define(def);
    WriteConfigs.define(def);
    DocumentConfigs.define(def);
    IndexConfigs.define(def);
    return def;
  }

  public List<String> urls() {
    return getList(ConnectionConfigs.CONNECTION_URL).stream().map(String::trim).toList();
  }

  /** The username, or null. */
  public String username() {
    return blankToNull(getString(ConnectionConfigs.USERNAME));
  }

  /** The password, or null. */
  public Password password() {
    return getPassword(ConnectionConfigs.PASSWORD);
  }

  /** The API key, or null. */
  public Password apiKey() {
    return getPassword(ConnectionConfigs.API_KEY);
  }

  /** The PEM of the trusted CA from connection.ssl.ca.pem or the file, or null for the JVM's. */
  public String caPem() {
    String pem = getString(ConnectionConfigs.SSL_CA_PEM);
    if (!pem.isBlank()) {
      return pem;
    }
    String file = getString(ConnectionConfigs.SSL_CA_FILE);
    return file.isBlank() ? null : readFile(ConnectionConfigs.SSL_CA_FILE, file);
  }

  public boolean sslVerification() {
    return getBoolean(ConnectionConfigs.SSL_VERIFICATION);
  }

  public int connectionTimeoutMs() {
    return getInt(ConnectionConfigs.CONNECTION_TIMEOUT_MS);
  }

  public int readTimeoutMs() {
    return getInt(ConnectionConfigs.READ_TIMEOUT_MS);
  }

  public int batchSize() {
    return getInt(WriteConfigs.BATCH_SIZE);
  }

  public long bulkSizeBytes() {
    return getLong(WriteConfigs.BULK_SIZE_BYTES);
  }

  public int maxInFlightRequests() {
    return getInt(WriteConfigs.MAX_IN_FLIGHT_REQUESTS);
  }

  public long lingerMs() {
    return getLong(WriteConfigs.LINGER_MS);
  }

  public int maxBufferedRecords() {
    return getInt(WriteConfigs.MAX_BUFFERED_RECORDS);
  }

  public long maxBufferedBytes() {
    return getLong(WriteConfigs.MAX_BUFFERED_BYTES);
  }

  public int maxRetries() {
    return getInt(WriteConfigs.MAX_RETRIES);
  }

  public long retryBackoffMs() {
    return getLong(WriteConfigs.RETRY_BACKOFF_MS);
  }

  public long retryBackoffMaxMs() {
    return getLong(WriteConfigs.RETRY_BACKOFF_MAX_MS);
  }

  public WriteMethod writeMethod() {
    return WriteMethod.parse(WriteConfigs.WRITE_METHOD, getString(WriteConfigs.WRITE_METHOD));
  }

  /** The header with the external version, or null when versioning is off. */
  public String versionHeader() {
    return blankToNull(getString(WriteConfigs.VERSION_HEADER));
  }

  public boolean keyIgnore() {
    return getBoolean(DocumentConfigs.KEY_IGNORE);
  }

  public BehaviorOnNullValues behaviorOnNullValues() {
    return BehaviorOnNullValues.parse(
        DocumentConfigs.BEHAVIOR_ON_NULL_VALUES,
        getString(DocumentConfigs.BEHAVIOR_ON_NULL_VALUES));
  }

  public BehaviorOnMalformedDocuments behaviorOnMalformedDocuments() {
    return BehaviorOnMalformedDocuments.parse(
        DocumentConfigs.BEHAVIOR_ON_MALFORMED_DOCUMENTS,
        getString(DocumentConfigs.BEHAVIOR_ON_MALFORMED_DOCUMENTS));
  }

  public long logSummaryIntervalMs() {
    return getLong(DocumentConfigs.LOG_SUMMARY_INTERVAL_MS);
  }

  public String indexNameTemplate() {
    return getString(IndexConfigs.NAME_TEMPLATE);
  }

  public String indexNamePrefix() {
    return getString(IndexConfigs.NAME_PREFIX);
  }

  public String indexNameSuffix() {
    return getString(IndexConfigs.NAME_SUFFIX);
  }

  /** topic.index.map as a map from topic to index. */
  public Map<String, String> topicIndexMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : getList(IndexConfigs.TOPIC_INDEX_MAP)) {
      int colon = entry.lastIndexOf(':');
      map.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
    }
    return map;
  }

  public MappingMode mappingMode() {
    return MappingMode.parse(IndexConfigs.MAPPING_MODE, getString(IndexConfigs.MAPPING_MODE));
  }

  public boolean rebuildKeepsPrevious() {
    return getBoolean(IndexConfigs.REBUILD_KEEP_PREVIOUS);
  }

  /** The JSON index definition from index.definition or its file, or null. */
  public String indexDefinition() {
    String inline = getString(IndexConfigs.DEFINITION);
    if (!inline.isBlank()) {
      return inline;
    }
    String file = getString(IndexConfigs.DEFINITION_FILE);
    return file.isBlank() ? null : readFile(IndexConfigs.DEFINITION_FILE, file);
  }

  private static String readFile(String key, String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key, path, "cannot be read: " + e.getMessage());
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
