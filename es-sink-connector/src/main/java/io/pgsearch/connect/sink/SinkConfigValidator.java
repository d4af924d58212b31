package io.pgsearch.connect.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pgsearch.connect.sink.config.ConnectionConfigs;
import io.pgsearch.connect.sink.config.IndexConfigs;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.config.WriteConfigs;
import io.pgsearch.connect.sink.config.WriteMethod;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServer;
import io.pgsearch.connect.sink.transport.SearchServerException;
import io.pgsearch.connect.sink.transport.TlsContexts;
import io.pgsearch.connect.transforms.ConverterSettings;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The checks of {@code validate()} beyond single keys: combinations of keys, the content of
 * certificates and definitions, then, only when every key is valid, a request to Elasticsearch that
 * proves the URLs, TLS trust and credentials. Each error is attached to the key it concerns.
 */
public final class SinkConfigValidator {
  private final Map<String, ConfigValue> values = new HashMap<>();
  private final Map<String, String> props;

  private final Config config;

  public SinkConfigValidator(Config config, Map<String, String> props) {
    this.config = config;
    config.configValues().forEach(value -> values.put(value.name(), value));
    this.props = props;
  }

  public void validate() {
    checkCombinations();
    checkContents();
    if (values.values().stream().allMatch(value -> value.errorMessages().isEmpty())) {
      checkCluster();
    }
  }

  private void checkCombinations() {
    ConverterSettings.nullReplacedByDefault(props)
        .ifPresent(message -> error(ConverterSettings.REPLACE_NULL_WITH_DEFAULT, message));
    boolean user = isSet(ConnectionConfigs.USERNAME);
    boolean password = isSet(ConnectionConfigs.PASSWORD);
    if (user && !password) {
      error(ConnectionConfigs.PASSWORD, "is required with " + ConnectionConfigs.USERNAME);
    }
    if (password && !user) {
      error(ConnectionConfigs.USERNAME, "is required with " + ConnectionConfigs.PASSWORD);
    }
    if (isSet(ConnectionConfigs.API_KEY) && user) {
      error(
          ConnectionConfigs.API_KEY,
          "cannot be combined with "
              + ConnectionConfigs.USERNAME
              + ": authenticate with an API key or a username and password, not both");
    }
    both(ConnectionConfigs.SSL_CA_PEM, ConnectionConfigs.SSL_CA_FILE);
    both(IndexConfigs.DEFINITION, IndexConfigs.DEFINITION_FILE);
    String writeMethod = props.get(WriteConfigs.WRITE_METHOD);
    if (writeMethod != null
        && writeMethod.trim().equalsIgnoreCase(WriteMethod.UPSERT.toString())
        && !""
            .equals(props.getOrDefault(WriteConfigs.VERSION_HEADER, PgsearchHeaders.LSN).trim())) {
      error(
          WriteConfigs.WRITE_METHOD,
          "upsert cannot be versioned by the server: set "
              + WriteConfigs.VERSION_HEADER
              + " to an empty value to use it, or use insert");
    }
  }

  private void both(String first, String second) {
    if (isSet(first) && isSet(second)) {
      String message = "set either " + first + " or " + second + ", not both";
      error(first, message);
      error(second, message);
    }
  }

  private void checkContents() {
    String pem = props.get(ConnectionConfigs.SSL_CA_PEM);
    if (isSet(ConnectionConfigs.SSL_CA_PEM)) {
      checkCertificate(ConnectionConfigs.SSL_CA_PEM, pem);
    }
    if (isSet(ConnectionConfigs.SSL_CA_FILE)) {
      String file = readable(ConnectionConfigs.SSL_CA_FILE);
      if (file != null) {
        checkCertificate(ConnectionConfigs.SSL_CA_FILE, file);
      }
    }
    if (isSet(IndexConfigs.DEFINITION)) {
      checkJson(IndexConfigs.DEFINITION, props.get(IndexConfigs.DEFINITION));
    }
    if (isSet(IndexConfigs.DEFINITION_FILE)) {
      String file = readable(IndexConfigs.DEFINITION_FILE);
      if (file != null) {
        checkJson(IndexConfigs.DEFINITION_FILE, file);
      }
    }
  }

  private String readable(String key) {
    Path path = Path.of(props.get(key).trim());
    try {
      return Files.readString(path);
    } catch (IOException | RuntimeException e) {
      error(key, "the file " + path + " cannot be read on this worker: " + e);
      return null;
    }
  }

  private void checkCertificate(String key, String pem) {
    try {
      TlsContexts.parse(pem);
    } catch (CertificateException e) {
      error(key, "is not a PEM certificate: " + e.getMessage());
    }
  }

  private void checkJson(String key, String json) {
    try {
      if (!DocumentJson.JSON.readTree(json).isObject()) {
        error(key, "must be a JSON object such as {\"settings\": {}, \"mappings\": {}}");
      }
    } catch (JsonProcessingException e) {
      error(key, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private void checkCluster() {
    SinkConfig config = new SinkConfig(props);
    try (RestClient client = SearchClient.restClient(config)) {
      Response response = client.performRequest(new Request("GET", "/_cluster/health"));
      int status = response.getStatusLine().getStatusCode();
      if (status / 100 != 2) {
        error(ConnectionConfigs.CONNECTION_URL, "the server answered HTTP " + status);
        return;
      }
      checkServer(client);
    } catch (ResponseException e) {
      onErrorStatus(e.getResponse().getStatusLine().getStatusCode());
    } catch (SSLException e) {
      String key =
          isSet(ConnectionConfigs.SSL_CA_PEM)
              ? ConnectionConfigs.SSL_CA_PEM
              : isSet(ConnectionConfigs.SSL_CA_FILE)
                  ? ConnectionConfigs.SSL_CA_FILE
                  : ConnectionConfigs.SSL_CA_PEM;
      error(
          key,
          "the TLS handshake with the server failed, so its certificate is not trusted: "
              + e.getMessage()
              + ". Give the CA that signed it in "
              + ConnectionConfigs.SSL_CA_PEM
              + " or "
              + ConnectionConfigs.SSL_CA_FILE);
    } catch (ConnectException | UnknownHostException e) {
      error(ConnectionConfigs.CONNECTION_URL, "cannot reach the server: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      error(ConnectionConfigs.CONNECTION_URL, "cannot reach the server: " + e);
    }
  }

  /** An unsupported product or version is reported on the URL; one that will not say is let be. */
  private void checkServer(RestClient client) throws IOException {
    SearchServer server;
    try {
      server = SearchServer.detect(client);
    } catch (SearchServerException e) {
      return; // the user may lack the monitor privilege: writes will tell
    }
    server.unsupportedReason().ifPresent(reason -> error(ConnectionConfigs.CONNECTION_URL, reason));
  }

  private void onErrorStatus(int status) {
    if (status == 401) {
      String key =
          isSet(ConnectionConfigs.API_KEY) ? ConnectionConfigs.API_KEY : ConnectionConfigs.PASSWORD;
      error(
          key,
          isSet(ConnectionConfigs.API_KEY) || isSet(ConnectionConfigs.USERNAME)
              ? "the server rejected the credentials (HTTP 401): check the user and password or API key"
              : "the server requires authentication (HTTP 401): set "
                  + ConnectionConfigs.USERNAME
                  + " and "
                  + ConnectionConfigs.PASSWORD
                  + " or "
                  + ConnectionConfigs.API_KEY);
    } else if (status != 403) {
      // 403 proves the credentials; the user may lack only the cluster monitor privilege.
      error(ConnectionConfigs.CONNECTION_URL, "the server answered HTTP " + status);
    }
  }

  private boolean isSet(String key) {
    String value = props.get(key);
    return value != null && !value.isBlank();
  }

  private void error(String key, String message) {
    // Every key of CONFIG_DEF has a value; a converter's key gets one here.
    ConfigValue value = values.get(key);
    if (value == null) {
      value = new ConfigValue(key, props.get(key), List.of(), new ArrayList<>());
      values.put(key, value);
      config.configValues().add(value);
    }
    value.addErrorMessage(message);
  }
}
