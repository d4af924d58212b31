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

  /** True the first time a schema (by content) is seen; null is never new. */
  synchronized boolean isNew(Schema schema) {
    if (schema == null || instances.contains(schema)) {
      return false;
    }
    if (instances.size() >= MAX_INSTANCES) {
      instances.clear();
    }
    instances.add(schema);
    return distinct.add(schema);
  }
}
