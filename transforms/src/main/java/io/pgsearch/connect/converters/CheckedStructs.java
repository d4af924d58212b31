package io.pgsearch.connect.converters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Puts values already checked against their field's schema into a {@link Struct}.
 *
 * <p>{@link Struct#put(Field, Object)} validates the value again, and a struct value in full: every
 * field, recursively, and its schema by deep comparison. A change event's envelope was so validated
 * once per level of nesting, 4.5 % of the Connect worker's CPU in a profile of a snapshot. {@link
 * PayloadReader} checks each value as it parses it (its JSON type, range and class, and null only
 * for an optional field), so the value goes into the struct's value array directly. Connect has no
 * method for that: the array is reached through a {@link VarHandle} on {@code Struct}'s private
 * field. Where that is refused (a Connect whose {@code Struct} is laid out otherwise), {@link
 * Struct#put(Field, Object)} is used and only the time is lost.
 */
final class CheckedStructs {
  private static final VarHandle VALUES = valuesHandle();

  private CheckedStructs() {}

  /** Sets {@code field} of {@code struct}, a field of the struct's own schema, to {@code value}. */
  static void put(Struct struct, Field field, Object value) {
    if (VALUES == null) {
      struct.put(field, value);
      return;
    }
    ((Object[]) VALUES.get(struct))[field.index()] = value;
  }

  /** Whether values go into the array directly (for tests: a fallback must not go unnoticed). */
  static boolean direct() {
    return VALUES != null;
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
