package io.pgsearch.connect.devstack;

import java.net.BindException;
import java.util.Locale;

/**
 * A failure of the run command explained in one line for the person who ran it; the stack trace, if
 * any, goes to the log file only.
 */
final class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RunFailure(String message) {
    super(message);
  }

  /** The one line to print for any failure while the stack starts or runs. */
  static String explain(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof RunFailure
          || cause instanceof RunnerOptions.UsageException
          || cause instanceof SearchNode.MissingJdkException) {
        return cause.getMessage();
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (cause instanceof BindException
          || message.toLowerCase(Locale.ROOT).contains("address already in use")) {
        return "A port the stack chose is already taken (another program started listening on it"
            + " meanwhile): "
            + firstLine(message)
            + ". Run the command again; every component picks free loopback ports.";
      }
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return firstLine(String.valueOf(failure.getMessage()))
        + (root == failure
            ? ""
            : " ("
                + root.getClass().getSimpleName()
                + ": "
                + firstLine(String.valueOf(root.getMessage()))
                + ")");
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
