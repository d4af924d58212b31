package io.pgsearch.connect.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The one loader of a plugin's version, for every module of the project: the build filters it into
 * a properties resource beside a class (a jar manifest is not read in every plugin class loader).
 */
public final class PluginVersion {
  private PluginVersion() {}

  /**
   * The {@code version} property of {@code resource}, resolved against {@code anchor}'s package;
   * {@code unknown} when the resource is missing.
   */
  public static String of(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
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
