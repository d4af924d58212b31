package io.pgsearch.connect.source;

import io.pgsearch.connect.transforms.PluginVersion;

/** The version of this module, from the build ({@code version.properties} beside this class). */
final class Version {
  private static final String VERSION = PluginVersion.of(Version.class, "version.properties");

  private Version() {}

  static String get() {
    return VERSION;
  }
}
