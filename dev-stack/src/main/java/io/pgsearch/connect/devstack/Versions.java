package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The component versions the build pinned, read from {@code versions.properties}. */
public final class Versions {
  private static final Properties PINNED = load();

  private Versions() {}

  /** This project's version: the one in the file names of the connector archives. */
  public static String pgsearch() {
    return get("pgsearch");
  }

  /** The Elasticsearch 8.x distribution started by default. */
  public static String elasticsearch8() {
    return get("elasticsearch8");
  }

  /** The Elasticsearch 9.x distribution, which needs a JDK 21 or newer. */
  public static String elasticsearch9() {
    return get("elasticsearch9");
  }

  /** The Prometheus JMX exporter's Java agent ({@link MetricsAgent}). */
  public static String jmxExporter() {
    return get("jmxExporter");
  }

  /** The pinned version of a search server's distribution. */
  public static String search(SearchDistribution distribution) {
    return get(distribution.versionKey());
  }

  /** The full version of the PostgreSQL binaries for a major version (16 or 17). */
  public static String postgres(int major) {
    if (major != 16 && major != 17) {
      throw new IllegalArgumentException(
          "PostgreSQL major version " + major + " is not supported: use 16 or 17");
    }
    return get("postgres" + major);
  }

  private static String get(String key) {
    String value = PINNED.getProperty(key);
    if (value == null || value.startsWith("${")) {
      throw new IllegalStateException(
          "versions.properties has no value for '" + key + "': rebuild dev-stack with ./mvnw");
    }
    return value;
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties is missing from the dev-stack jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
