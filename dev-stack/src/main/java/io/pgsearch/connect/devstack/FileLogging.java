package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends this JVM's log4j logging to one file, Kafka's at WARN: the run command and the benchmark
 * print progress on the console and keep the in-process broker's chatter out of it.
 */
public final class FileLogging {
  private FileLogging() {}

  /**
   * Writes a log4j configuration into {@code dir} and points log4j at it; must run before the first
   * logger is created. Returns the log file, {@code dir/fileName}.
   */
  public static Path redirect(Path dir, String fileName) throws IOException {
    Path logFile = dir.resolve(fileName);
    Path config = dir.resolve("log4j2.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.file.ref=FILE",
            "appender.file.type=File",
            "appender.file.name=FILE",
            "appender.file.fileName=" + logFile.toString().replace("\\", "\\\\"),
            "appender.file.layout.type=PatternLayout",
            "appender.file.layout.pattern=[%d] %p %m (%c)%n",
            "logger.kafka.name=org.apache.kafka",
            "logger.kafka.level=WARN",
            "logger.kafkaserver.name=kafka",
            "logger.kafkaserver.level=WARN",
            ""));
    System.setProperty("log4j2.configurationFile", config.toString());
    return logFile;
  }
}
