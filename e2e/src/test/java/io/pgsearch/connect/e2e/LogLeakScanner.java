package io.pgsearch.connect.e2e;

import io.pgsearch.connect.devstack.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds secrets in log files: every secret recorded by dev-stack ({@link Secrets}, in {@code
 * target/.../pgsearch-secrets.txt} of each module) against every log-like file under each module's
 * {@code target/}: {@code *.log} (Elasticsearch, Connect workers, tools), failsafe and surefire
 * {@code *-output.txt}, and stdout/stderr captures ({@code *.out}, {@code *.err}, names with {@code
 * stdout} or {@code stderr}).
 */
final class LogLeakScanner {
  /** A secret found in a file; {@code hint} is a prefix of the secret, never all of it. */
  record Leak(Path file, long line, String hint) {
    @Override
    public String toString() {
      return file + ":" + line + " contains the secret " + hint + "…";
    }
  }

  private LogLeakScanner() {}

  /** The {@code target} directories of the project root and of each module below it. */
  static List<Path> targets(Path root) {
    List<Path> targets = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      Stream.concat(Stream.of(root), children.filter(Files::isDirectory))
          .map(dir -> dir.resolve("target"))
          .filter(Files::isDirectory)
          .forEach(targets::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return targets;
  }

  /** Every recorded secret under the targets. */
  static Set<String> secrets(List<Path> targets) {
    Set<String> secrets = new TreeSet<>();
    walk(targets, file -> file.getFileName().toString().equals(Secrets.FILE_NAME))
        .forEach(file -> secrets.addAll(Secrets.read(file)));
    return secrets;
  }

  /** Every log-like file under the targets. */
  static List<Path> logFiles(List<Path> targets) {
    return walk(targets, LogLeakScanner::isLog);
  }

  static boolean isLog(Path file) {
    String name = file.getFileName().toString();
    // Kafka's segment files (00000000000000000000.log) are topic data, not logs: Connect's config
    // topic holds connector configs as submitted, which is why secrets go through config providers.
    if (name.matches("\\d{20}\\.log")) {
      return false;
    }
    return name.endsWith(".log")
        || name.endsWith("-output.txt")
        || name.endsWith(".out")
        || name.endsWith(".err")
        || name.contains("stdout")
        || name.contains("stderr");
  }

  /** Each secret found, by file and line. */
  static List<Leak> scan(List<Path> files, Set<String> secrets) {
    List<Leak> leaks = new ArrayList<>();
    for (Path file : files) {
      // ISO-8859-1 reads any bytes; the secrets are ASCII.
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
        long number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          number++;
          for (String secret : secrets) {
            if (line.contains(secret)) {
              leaks.add(new Leak(file, number, secret.substring(0, Math.min(6, secret.length()))));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot scan " + file, e);
      }
    }
    return leaks;
  }

  private static List<Path> walk(List<Path> targets, java.util.function.Predicate<Path> wanted) {
    List<Path> found = new ArrayList<>();
    for (Path target : targets) {
      try (Stream<Path> files = Files.walk(target)) {
        files.filter(Files::isRegularFile).filter(wanted).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot list " + target, e);
      }
    }
    return found;
  }
}
