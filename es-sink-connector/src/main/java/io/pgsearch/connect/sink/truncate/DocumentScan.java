package io.pgsearch.connect.sink.truncate;

import java.io.IOException;
import java.util.List;

/** Reads every document id of an index with its version, a page at a time. */
public interface DocumentScan {
  /** One document of the index. */
  record Hit(String id, long version) {}

  /** A page of hits; {@code cursor} continues the scan (null when there is nothing more). */
  record Page(String cursor, List<Hit> hits) {}

  /**
   * Makes every acknowledged write of the index visible, then returns the first page; an index that
   * does not exist is empty.
   */
  Page open(String index) throws IOException;

  /** The page after the one that gave {@code cursor}. */
  Page next(String cursor) throws IOException;

  /** Releases a scan that is not read to its end. */
  void close(String cursor);
}
