package io.pgsearch.connect.transforms;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads of a {@link Struct}'s values by {@link Field}, for the loops that visit every field of
 * every record. {@link Struct#getWithoutDefault(String)} looks the field up by its name in a hash
 * map first; in the converter, the renderer and the size check that lookup was a few percent of the
 * worker's CPU.
 */
public final class StructValues {
  private StructValues() {}

  /**
   * What {@code struct.getWithoutDefault(field.name())} returns, for a field of the struct's
   * schema. {@link Struct#get(Field)} reads the value by the field's index and differs only where a
   * field has a default (it returns the default for null), so only those fields are looked up.
   */
  public static Object withoutDefault(Struct struct, Field field) {
    return field.schema().defaultValue() == null
        ? struct.get(field)
        : struct.getWithoutDefault(field.name());
  }

  /**
   * The field of {@code schema} named {@code name}, tried first at {@code index}: where fields come
   * in a known order (a payload in its schema's order, a converted schema keeping its source's
   * order) that is a list read instead of a lookup by name, which stays the fallback. Null when the
   * schema has no such field.
   */
  public static Field field(Schema schema, int index, String name) {
    var fields = schema.fields();
    if (index >= 0 && index < fields.size() && fields.get(index).name().equals(name)) {
      return fields.get(index);
    }
    return schema.field(name);
  }
}
