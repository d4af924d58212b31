package io.pgsearch.connect.sink.index;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;

/**
 * The value schemas an index has already been mapped for. Checked for every record, so it looks up
 * the instance first (converters cache their schemas, so a topic's records mostly share one) and
 * compares whole schemas, which is costlier, only for an instance it has not met.
 */
final class SeenSchemas {
  /** Bounds the instance cache when a converter makes a new instance per record. */
  private static final int MAX_INSTANCES = 1_000;

  private final Set<Schema> instances = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Schema> distinct = new HashSet<>();

  /** Whether the schema (by content) was added; null counts as seen. */
  synchronized boolean contains(Schema schema) {
    if (schema == null || instances.contains(schema)) {
      return true;
    }
    if (distinct.contains(schema)) {
      remember(schema);
      return true;
    }
    return false;
  }

  synchronized void add(Schema schema) {
    if (schema != null) {
      distinct.add(schema);
      remember(schema);
    }
  }

  private void remember(Schema instance) {
    if (instances.size() >= MAX_INSTANCES) {
      instances.clear();
    }
    instances.add(instance);
  }
}
