package io.pgsearch.connect.sink;

/** The connector's version, from the jar manifest. */
final class Version {
  private Version() {}

  static String get() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
