package io.pgsearch.connect.sink.rebuild;

import java.io.IOException;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/** The server's side of a rebuild: the generations of an alias, and the steps that change them. */
interface GenerationStore {
  /** The generations of {@code alias} as the server holds them now. */
  AliasGenerations read(String alias) throws IOException;

  /**
   * Creates {@code generation} with the definition configured now and {@code meta} in its {@code
   * _meta}; false when it exists already.
   */
  boolean create(
      String alias, String generation, Schema valueSchema, String source, Map<String, ?> meta)
      throws IOException;

  /** Records that {@code generation} took the rebuild end of {@code partition}. */
  void markCaughtUp(String generation, int partition) throws IOException;

  /**
   * In one atomic step: points the alias at the generation being built (its write index) instead of
   * the live one, and drops the marker aliases.
   */
  void swap(AliasGenerations state) throws IOException;

  /** Whether no search runs on the index and no search context (scroll, point in time) is open. */
  boolean idle(String index) throws IOException;

  /** Deletes an index, if it still exists. */
  void delete(String index) throws IOException;
}
