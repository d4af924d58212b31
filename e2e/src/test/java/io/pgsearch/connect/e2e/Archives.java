package io.pgsearch.connect.e2e;

import io.pgsearch.connect.devstack.ConnectWorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The connector archives exactly as built, for a Connect worker in its own JVM. */
final class Archives {
  private Archives() {}

  /** Unpacks both archives into {@code work/plugins}, as confluent-hub install does. */
  static Path unpackBoth(Path work) {
    Path plugins = work.resolve("plugins");
    ConnectWorkerProcess.unpackArchive(
        Path.of(System.getProperty("pgsearch.source.archive")), plugins);
    ConnectWorkerProcess.unpackArchive(
        Path.of(System.getProperty("pgsearch.sink.archive")), plugins);
    return plugins;
  }

  /** Kafka Connect's runtime and logging, without any plugin (written by the build). */
  static String workerClasspath() throws IOException {
    return Files.readString(Path.of(System.getProperty("pgsearch.worker.classpath"))).trim();
  }
}
