package io.pgsearch.connect.transforms;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads and writes of a {@link Struct}'s values by {@link Field}, for the loops that visit every
 * field of every record.
 *
 * <p>Connect has no read of a field's value as stored: {@link Struct#get(Field)} returns the
 * schema's default for a null, and {@link Struct#getWithoutDefault(String)} first looks the field
 * up by its name in a hash map, which in the converter, the renderer and the size check was a few
 * percent of the worker's CPU. Nor has it a write without validation: {@link Struct#put(Field,
 * Object)} checks the value again, and a struct value in full (every field, recursively, its schema
 * by deep comparison). Both go through the struct's value array here, reached by a {@link
 * VarHandle} on {@code Struct}'s private field. Where that is refused (a Connect whose {@code
 * Struct} is laid out otherwise), Connect's own methods are used and only the time is lost.
 */
public final class StructValues {
  private static final VarHandle VALUES = valuesHandle();

  private StructValues() {}

  /**
   * What {@code struct.getWithoutDefault(field.name())} returns, for a field of the struct's schema
   * (or of a schema equal to it: the field's index is what is used).
   */
  public static Object withoutDefault(Struct struct, Field field) {
    if (VALUES != null) {
      return ((Object[]) VALUES.get(struct))[field.index()];
    }
    return field.schema().defaultValue() == null
        ? struct.get(field)
        : struct.getWithoutDefault(field.name());
  }

  /**
   * Sets {@code field} of {@code struct}, a field of the struct's own schema, to {@code value}
   * without {@link Struct#put(Field, Object)}'s validation: only for a value the caller has already
   * checked against the field's schema (its type, its range, null only where optional).
   */
  public static void putChecked(Struct struct, Field field, Object value) {
    if (VALUES == null) {
      struct.put(field, value);
      return;
    }
    ((Object[]) VALUES.get(struct))[field.index()] = value;
  }

  /**
   * Whether values are read and written in the array directly (for tests: a fallback must show).
   */
  static boolean direct() {
    return VALUES != null;
  }

  /**
   * The field of {@code schema} named {@code name}, tried first at {@code index}: where fields come
   * in a known order (a converted schema keeping its source's order) that is a list read instead of
   * a lookup by name, which stays the fallback. Null when the schema has no such field.
   */
  public static Field field(Schema schema, int index, String name) {
    var fields = schema.fields();
    if (index >= 0 && index < fields.size() && fields.get(index).name().equals(name)) {
      return fields.get(index);
    }
    return schema.field(name);
  }

  private static VarHandle valuesHandle() {
    try {
      return MethodHandles.privateLookupIn(Struct.class, MethodHandles.lookup())
          .findVarHandle(Struct.class, "values", Object[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
