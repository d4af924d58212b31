package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The files a Kafka JVM started as a child process reads: its properties and its logging. */
final class ChildJvmFiles {
  private ChildJvmFiles() {}

  /** Writes {@code props} as a Java properties file (backslashes escaped, as the format wants). */
  static Path writeProperties(Path file, Map<String, String> props) throws IOException {
    Files.writeString(
        file,
        props.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
            .collect(Collectors.joining("\n", "", "\n")));
    return file;
  }

  /**
   * Writes a log4j2 configuration logging to the console (the child's output file) at {@code
   * rootLevel}, with {@code extraLines} (e.g. per-logger levels) after it.
   */
  static Path writeConsoleLogging(Path file, String rootLevel, String... extraLines)
      throws IOException {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "rootLogger.level=" + rootLevel,
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.name=STDOUT",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n"));
    lines.addAll(List.of(extraLines));
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
