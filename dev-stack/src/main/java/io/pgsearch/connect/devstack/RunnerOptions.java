package io.pgsearch.connect.devstack;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The options of the run command ({@code ./dev-stack.sh}), which passes them through to {@link
 * DevStackRunner}; {@code --root} is set by the script.
 */
record RunnerOptions(Path root, Path workDir, SearchDistribution search, int postgresMajor) {

  /** Parses the arguments; a bad one fails with a message naming it and what would be valid. */
  static RunnerOptions parse(String... args) {
    Path root = Path.of("").toAbsolutePath();
    Path workDir = null;
    SearchDistribution search = SearchDistribution.ELASTICSEARCH_8;
    int postgres = 17;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--root" -> root = Path.of(value(args, ++i, option)).toAbsolutePath();
        case "--workdir" -> workDir = Path.of(value(args, ++i, option)).toAbsolutePath();
        case "--es" ->
            search =
                major(value(args, ++i, option), option, 8, 9) == 9
                    ? SearchDistribution.ELASTICSEARCH_9
                    : SearchDistribution.ELASTICSEARCH_8;
        case "--search" -> search = distribution(value(args, ++i, option));
        case "--pg" -> postgres = major(value(args, ++i, option), option, 16, 17);
        default ->
            throw new UsageException(
                "unknown option '"
                    + option
                    + "': use --search SERVER (or --es 8|9), --pg 16|17, --workdir DIR");
      }
    }
    if (workDir == null) {
      workDir = root.resolve("target").resolve("dev-stack-run");
    }
    return new RunnerOptions(root, workDir.normalize(), search, postgres);
  }

  private static SearchDistribution distribution(String value) {
    try {
      return SearchDistribution.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--search " + e.getMessage());
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[index];
  }

  private static int major(String value, String option, int... allowed) {
    for (int major : allowed) {
      if (String.valueOf(major).equals(value.trim().toLowerCase(Locale.ROOT))) {
        return major;
      }
    }
    throw new UsageException(
        option + " " + value + " is not supported: use " + allowed[0] + " or " + allowed[1]);
  }

  /** A bad command line: the message is shown as it is, without a stack trace. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
