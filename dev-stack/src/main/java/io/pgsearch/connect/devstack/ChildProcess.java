package io.pgsearch.connect.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process started by the stack, with its output in a log file, stopped with its whole tree. */
final class ChildProcess {
  private final Process process;
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(
      List<String> command, Path directory, Map<String, String> env, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().putAll(env);
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(log.getParent());
      return new ChildProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command.get(0), e);
    }
  }

  /** Runs a command to completion, failing with its output if it does not exit 0. */
  static void run(
      List<String> command, Path directory, Map<String, String> env, String stdin, Path log) {
    ChildProcess child = start(command, directory, env, log);
    try {
      if (stdin != null) {
        child.process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      child.process.getOutputStream().close();
      if (!child.process.waitFor(3, TimeUnit.MINUTES)) {
        child.stop(Duration.ofSeconds(5));
        throw new IllegalStateException(
            command.get(0) + " did not finish in 3 minutes; see " + log);
      }
      if (child.process.exitValue() != 0) {
        throw new IllegalStateException(
            command.get(0) + " exited " + child.process.exitValue() + ": " + child.tail(20));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command.get(0), e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The process and every descendant it has, captured before any of them is signalled. */
  List<ProcessHandle> tree() {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    return tree;
  }

  /** Asks the whole tree to terminate, then kills whatever is left after the grace period. */
  void stop(Duration grace) {
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "Process " + handle.pid() + " did not exit after a kill", e);
      }
    }
  }

  /** Kills the whole tree at once (SIGKILL), as a crash would, and waits until it is gone. */
  void kill() {
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Process " + handle.pid() + " did not exit on SIGKILL", e);
      }
    }
  }

  /** The last lines of the log, to put in an error message. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
