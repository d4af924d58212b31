package io.pgsearch.connect.sink.truncate;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/** Where each index's truncate floor is kept, so that every task of the sink sees it. */
public interface FloorStore {
  /**
   * The floors recorded for these indexes; an index without one (or that does not exist) is left
   * out. Throws {@link FloorsUnreadable} when the sink's user may not read them.
   */
  Map<String, Long> read(Collection<String> indexes) throws IOException;

  /** Records a floor, unless the index already holds a higher one. */
  void write(String index, long floor) throws IOException;

  /** The sink's user may not read or write the floors (401/403). */
  final class FloorsUnreadable extends IOException {
    public FloorsUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
