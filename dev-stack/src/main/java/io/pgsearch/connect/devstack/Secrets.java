package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every secret the dev stack makes or a test configures (right or wrong on purpose), one per line
 * in {@value #FILE_NAME} under the work directory, so that a scan at the end of the build can prove
 * that no log file written during the tests contains any of them. The file is not a log: scanners
 * read it for the secrets and skip it. Only builds record (the system property {@code
 * pgsearch.work.dir} is set, as failsafe does); the run command leaves no such file.
 */
public final class Secrets {
  /** The file name, in {@link DevStackExtension#workDir()} of each module. */
  public static final String FILE_NAME = "pgsearch-secrets.txt";

  private Secrets() {}

  /** Records a secret and returns it, e.g. {@code config.put(key, Secrets.remember("wrong-…"))}. */
  public static synchronized String remember(String secret) {
    if (secret.length() < 12 || secret.isBlank()) {
      // A short one ("wrong") would be found in logs by chance: make it distinctive.
      throw new IllegalArgumentException("A secret to scan for needs 12 characters or more");
    }
    // Set by the build for integration tests; secrets are recorded only when it is.
    if (System.getProperty(DevStackExtension.WORK_DIR_PROPERTY) == null) {
      return secret; // not a build (e.g. the run command): leave no file of secrets behind
    }
    Path file = file();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          secret + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record a secret in " + file, e);
    }
    return secret;
  }

  /** This JVM's secrets file. */
  public static Path file() {
    return DevStackExtension.workDir().resolve(FILE_NAME);
  }

  /** The secrets recorded in a file, without blank lines. */
  public static Set<String> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      Set<String> secrets = new TreeSet<>();
      lines.stream().filter(line -> !line.isBlank()).forEach(secrets::add);
      return secrets;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read secrets from " + file, e);
    }
  }
}
