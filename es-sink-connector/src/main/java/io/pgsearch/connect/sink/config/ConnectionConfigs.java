package io.pgsearch.connect.sink.config;

import java.net.URI;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Where Elasticsearch is and how to authenticate to it. */
public final class ConnectionConfigs {
  public static final String GROUP = "Connection";

  public static final String CONNECTION_URL = "connection.url";
  public static final String USERNAME = "connection.username";
  public static final String PASSWORD = "connection.password";
  public static final String API_KEY = "connection.api.key";
  public static final String SSL_CA_PEM = "connection.ssl.ca.pem";
  public static final String SSL_CA_FILE = "connection.ssl.ca.file";
  public static final String SSL_VERIFICATION = "connection.ssl.verification.enabled";
  public static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
  public static final String READ_TIMEOUT_MS = "read.timeout.ms";

  private ConnectionConfigs() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            CONNECTION_URL,
            Type.LIST,
            ConfigDef.NO_DEFAULT_VALUE,
            URLS,
            Importance.HIGH,
            "Elasticsearch or OpenSearch HTTP(S) URLs, comma-separated, e.g. https://es1:9200,https://es2:9200."
                + " Requests are spread over them.",
            GROUP,
            ++order,
            Width.LONG,
            "Server URLs")
        .define(
            USERNAME,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "User for HTTP basic authentication; requires connection.password.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Username")
        .define(
            PASSWORD,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Password of connection.username. Never logged or shown.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Password")
        .define(
            API_KEY,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "API key for authentication instead of a username and password: the 'encoded' value"
                + " the server returns when the key is created (base64 of id:api_key), sent as"
                + " 'Authorization: ApiKey <value>'. Never logged or shown.",
            GROUP,
            ++order,
            Width.LONG,
            "API key")
        .define(
            SSL_CA_PEM,
            Type.STRING,
            "",
            Importance.MEDIUM,
            "PEM text of the CA certificate(s) that signed the server's HTTPS certificate."
                + " Without this and connection.ssl.ca.file, the JVM's default trust store is used.",
            GROUP,
            ++order,
            Width.LONG,
            "CA certificate (PEM)")
        .define(
            SSL_CA_FILE,
            Type.STRING,
            "",
            Importance.MEDIUM,
            "Path, on every Connect worker, of a PEM file with the CA certificate(s) that signed"
                + " the server's HTTPS certificate. An alternative to connection.ssl.ca.pem.",
            GROUP,
            ++order,
            Width.LONG,
            "CA certificate file")
        .define(
            SSL_VERIFICATION,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "Whether the server certificate and host name are verified over HTTPS. Turning it off"
                + " accepts any certificate (man-in-the-middle risk): it is logged as a warning on"
                + " every task start. For development only.",
            GROUP,
            ++order,
            Width.SHORT,
            "Verify certificates")
        .define(
            CONNECTION_TIMEOUT_MS,
            Type.INT,
            5_000,
            ConfigDef.Range.between(1, 600_000),
            Importance.LOW,
            "Milliseconds to wait for a TCP connection to the server.",
            GROUP,
            ++order,
            Width.SHORT,
            "Connection timeout")
        .define(
            READ_TIMEOUT_MS,
            Type.INT,
            60_000,
            ConfigDef.Range.between(1, 3_600_000),
            Importance.LOW,
            "Milliseconds to wait for a response to a request, and for a free connection (each task"
                + " keeps max.in.flight.requests + 2 per node); a timed-out bulk request is"
                + " retried.",
            GROUP,
            ++order,
            Width.SHORT,
            "Read timeout");
  }

  /** A non-empty list of absolute http or https URLs. */
  static final ConfigDef.Validator URLS =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          @SuppressWarnings("unchecked")
          List<String> urls = (List<String>) value;
          if (urls == null || urls.isEmpty()) {
            throw new ConfigException(name, value, "at least one server URL is required");
          }
          for (String url : urls) {
            URI uri;
            try {
              uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
              throw new ConfigException(name, url, "not a URL: " + e.getMessage());
            }
            if (!"http".equalsIgnoreCase(uri.getScheme())
                    && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
              throw new ConfigException(
                  name,
                  url,
                  "must be an http:// or https:// URL with a host, e.g. https://localhost:9200");
            }
          }
        }

        @Override
        public String toString() {
          return "http(s)://host:port, ...";
        }
      };
}
