package io.pgsearch.connect.transforms;

import com.fasterxml.jackson.core.io.SerializedString;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * A struct schema's field names as Jackson's pre-encoded strings, in field order. Reading, the
 * parser compares a member's name with the expected one's bytes ({@code
 * JsonParser.nextFieldName(SerializableString)}) instead of decoding the name and looking it up in
 * its symbol table; writing, the generator copies the name's bytes instead of encoding its
 * characters. Field names were about a twentieth of the Connect worker's CPU in a snapshot. The
 * converters and the sink's document renderer use it.
 *
 * <p>Kept per schema object; only built schemas ({@link ConnectSchema}) are remembered: a {@code
 * SchemaBuilder} can still change. Bounded, whatever the converters' {@code schemas.cache.size}
 * says (the names change nothing but the time): cleared when full. Each user keeps its own
 * instance, so the lock is never contended.
 */
public final class FieldNames {
  static final int CAPACITY = 1024;

  private final Map<Schema, SerializedString[]> names = new IdentityHashMap<>();

  /** The names of {@code schema}'s fields, a struct schema's, by field index. */
  public synchronized SerializedString[] of(Schema schema) {
    SerializedString[] found = names.get(schema);
    if (found != null) {
      return found;
    }
    List<Field> fields = schema.fields();
    found = new SerializedString[fields.size()];
    for (Field field : fields) {
      found[field.index()] = new SerializedString(field.name());
    }
    if (schema instanceof ConnectSchema) {
      if (names.size() >= CAPACITY) {
        names.clear();
      }
      names.put(schema, found);
    }
    return found;
  }
}
