package io.pgsearch.connect.converters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/**
 * The read side's schema cache, keyed by the schema's JSON text as it stands in the record: the
 * bytes, not a tree. A record whose schema text equals one of the last few seen costs one byte
 * comparison ({@link #recent}); any other is found by hash and comparison in a bounded LRU map of
 * {@code schemas.cache.size} entries, as {@code JsonConverter}'s own cache is bounded.
 */
final class SchemasByJson {
  private static final int RECENT = 8;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int capacity;
  private final Map<Key, Schema> schemas;
  private final Key[] recent = new Key[RECENT];
  private final Schema[] recentSchemas = new Schema[RECENT];
  private final Key probe = new Key(null, 0, 0, 0);

  SchemasByJson(int capacity) {
    this.capacity = capacity;
    this.schemas = LruMaps.of(capacity);
  }

  /**
   * The length of a recently seen schema text that {@code bytes} holds at {@code from}, and its
   * schema in {@code found[0]}; -1 if none. The text is a complete JSON object, so a match is the
   * whole value.
   */
  synchronized int recentAt(byte[] bytes, int from, Schema[] found) {
    for (int i = 0; i < RECENT; i++) {
      Key key = recent[i];
      if (key == null) {
        return -1;
      }
      int length = key.to;
      if (from + length <= bytes.length
          && Arrays.equals(key.bytes, 0, length, bytes, from, from + length)) {
        found[0] = recentSchemas[i];
        promote(i);
        return length;
      }
    }
    return -1;
  }

  /** The schema of the text {@code bytes[from, to)}, or null when not cached. */
  synchronized Schema get(byte[] bytes, int from, int to) {
    probe.bytes = bytes;
    probe.from = from;
    probe.to = to;
    probe.hash = hash(bytes, from, to);
    Schema schema = schemas.get(probe);
    probe.bytes = null;
    if (schema != null) {
      remember(Arrays.copyOfRange(bytes, from, to), schema);
    }
    return schema;
  }

  synchronized void put(byte[] bytes, int from, int to, Schema schema) {
    byte[] copy = Arrays.copyOfRange(bytes, from, to);
    schemas.put(new Key(copy, 0, copy.length, hash(copy, 0, copy.length)), schema);
    remember(copy, schema);
  }

  private void remember(byte[] text, Schema schema) {
    if (capacity == 0) {
      return;
    }
    System.arraycopy(recent, 0, recent, 1, RECENT - 1);
    System.arraycopy(recentSchemas, 0, recentSchemas, 1, RECENT - 1);
    recent[0] = new Key(text, 0, text.length, 0);
    recentSchemas[0] = schema;
  }

  private void promote(int index) {
    if (index == 0) {
      return;
    }
    Key key = recent[index];
    Schema schema = recentSchemas[index];
    System.arraycopy(recent, 0, recent, 1, index);
    System.arraycopy(recentSchemas, 0, recentSchemas, 1, index);
    recent[0] = key;
    recentSchemas[0] = schema;
  }

  /** Eight bytes at a time: schema texts are kilobytes, and this runs for every cache miss. */
  static int hash(byte[] bytes, int from, int to) {
    long h = to - from;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * 0x9E3779B97F4A7C15L), 29);
    }
    for (; i < to; i++) {
      h = h * 31 + bytes[i];
    }
    h ^= h >>> 32;
    return (int) (h * 0xBF58476D1CE4E5B9L >>> 32);
  }

  /** A range of bytes; equal to another with the same bytes in its range. */
  private static final class Key {
    byte[] bytes;
    int from;
    int to;
    int hash;

    Key(byte[] bytes, int from, int to, int hash) {
      this.bytes = bytes;
      this.from = from;
      this.to = to;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && key.hash == hash
          && Arrays.equals(bytes, from, to, key.bytes, key.from, key.to);
    }
  }
}
