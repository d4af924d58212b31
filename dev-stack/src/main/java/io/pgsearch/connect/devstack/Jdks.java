package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds a JDK to run Elasticsearch with, which (unlike a full distribution) ships none. */
public final class Jdks {
  private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

  private Jdks() {}

  /**
   * A JDK of at least the given feature version: {@code ES_JAVA_HOME}, then {@code JAVA_HOME}, then
   * the JDK running this code, then those under {@code /usr/lib/jvm}; the newest of these if
   * several qualify is not sought, the first in that order wins.
   */
  public static Optional<Path> find(int minimumFeatureVersion) {
    List<Path> candidates = new ArrayList<>();
    addEnv(candidates, "ES_JAVA_HOME");
    addEnv(candidates, "JAVA_HOME");
    candidates.add(Path.of(System.getProperty("java.home")));
    Path jvmDir = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> dirs = Files.list(jvmDir)) {
        dirs.sorted(Comparator.reverseOrder()).forEach(candidates::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return candidates.stream()
        .filter(home -> Files.isExecutable(home.resolve("bin/java")))
        .filter(home -> featureVersion(home) >= minimumFeatureVersion)
        .findFirst();
  }

  /** The feature version from a JDK's {@code release} file, or the running JVM's for java.home. */
  static int featureVersion(Path home) {
    Path release = home.resolve("release");
    if (Files.isRegularFile(release)) {
      try {
        Matcher matcher = JAVA_VERSION.matcher(Files.readString(release));
        if (matcher.find()) {
          return Integer.parseInt(matcher.group(1));
        }
      } catch (IOException e) {
        return -1;
      }
    }
    if (home.equals(Path.of(System.getProperty("java.home")))) {
      return Runtime.version().feature();
    }
    return -1;
  }

  private static void addEnv(List<Path> candidates, String name) {
    String value = System.getenv(name);
    if (value != null && !value.isBlank()) {
      candidates.add(Path.of(value));
    }
  }
}
