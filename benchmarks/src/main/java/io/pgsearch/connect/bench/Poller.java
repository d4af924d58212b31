package io.pgsearch.connect.bench;

/**
 * Runs a search at a fixed period on its own thread until stopped, as a user polling the index
 * would: a search that fails is tried again at the next tick (the figures only get later).
 */
abstract class Poller implements Runnable {
  private final long periodMs;
  private volatile boolean running = true;

  Poller(long periodMs) {
    this.periodMs = periodMs;
  }

  /** A poller that runs {@code tick} every {@code periodMs}. */
  static Poller every(long periodMs, Runnable tick) {
    return new Poller(periodMs) {
      @Override
      void tick() {
        tick.run();
      }
    };
  }

  /** One search and what it found. */
  abstract void tick();

  void stop() {
    running = false;
  }

  @Override
  public final void run() {
    while (running) {
      long next = System.currentTimeMillis() + periodMs;
      try {
        tick();
      } catch (RuntimeException e) {
        // Retried at the next tick.
      }
      long sleep = next - System.currentTimeMillis();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
