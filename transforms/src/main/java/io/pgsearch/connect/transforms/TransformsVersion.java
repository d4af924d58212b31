package io.pgsearch.connect.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this jar, filtered into a resource by the build. */
final class TransformsVersion {
  private static final String VERSION = load();

  private TransformsVersion() {}

  static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = TransformsVersion.class.getResourceAsStream("transforms.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
