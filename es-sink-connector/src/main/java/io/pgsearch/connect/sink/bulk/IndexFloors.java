package io.pgsearch.connect.sink.bulk;

/**
 * What the writer must know of each index before sending to it: the version below which a write is
 * obsolete because the table was truncated after it (its <em>floor</em>), and whether that
 * knowledge is recent enough to send on. Implemented by the truncate handling; {@link #NONE} knows
 * no truncates.
 */
public interface IndexFloors {
  /** Floors that are always zero and always fresh. */
  IndexFloors NONE =
      new IndexFloors() {
        @Override
        public void watch(String index) {}

        @Override
        public void refreshStale() {}

        @Override
        public boolean isFresh(String index) {
          return true;
        }

        @Override
        public long floor(String index) {
          return 0;
        }
      };

  /** The writer will send to this index: keep its floor known. */
  void watch(String index);

  /**
   * Reads again the floors that are getting old; may block on a request. Called only on the
   * writer's own thread, unlocked: never on the HTTP client's I/O threads, which complete responses
   * and would deadlock waiting for one.
   */
  void refreshStale();

  /** Whether writes to the index may be sent on what is known of its floor. */
  boolean isFresh(String index);

  /** Writes to the index with a version below this are obsolete; 0 when it was never truncated. */
  long floor(String index);
}
