package io.pgsearch.connect.devstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The components the run command started, stopped in reverse order on shutdown. A shutdown that
 * arrives while a component is starting waits for it, so no process is left behind unowned.
 */
final class Stack {
  private static final Duration START_WAIT = Duration.ofMinutes(4);

  private record Component(String name, AutoCloseable handle) {}

  private final Deque<Component> started = new ArrayDeque<>();
  private final PrintStream out;
  private int starting;
  private boolean stopping;

  Stack(PrintStream out) {
    this.out = out;
  }

  /** Starts a component and keeps it for {@link #stop()}; refused once stopping has begun. */
  <T extends AutoCloseable> T start(String name, Supplier<T> start) {
    synchronized (this) {
      if (stopping) {
        throw new RunFailure("Stopping: " + name + " is not started");
      }
      starting++;
    }
    T handle = null;
    try {
      handle = start.get();
      return handle;
    } finally {
      synchronized (this) {
        starting--;
        if (handle != null) {
          started.push(new Component(name, handle));
        }
        notifyAll();
      }
    }
  }

  /** Stops every component, newest first, saying what it stops; safe to call more than once. */
  void stop() {
    synchronized (this) {
      stopping = true;
      long deadline = System.nanoTime() + START_WAIT.toNanos();
      while (starting > 0 && System.nanoTime() < deadline) {
        out.println("Waiting for a component that is still starting, to stop it...");
        try {
          wait(Math.max(1, Math.min(5_000, (deadline - System.nanoTime()) / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    Component component;
    while ((component = next()) != null) {
      out.println("Stopping " + component.name() + "...");
      try {
        component.handle().close();
      } catch (Exception e) {
        out.println("  " + component.name() + " did not stop cleanly: " + RunFailure.explain(e));
      }
    }
  }

  private synchronized Component next() {
    return started.poll();
  }
}
