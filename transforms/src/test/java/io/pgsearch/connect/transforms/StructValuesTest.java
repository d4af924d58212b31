package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class StructValuesTest {
  private static final Schema SCHEMA =
      SchemaBuilder.struct()
          .field("plain", Schema.OPTIONAL_STRING_SCHEMA)
          .field("defaulted", SchemaBuilder.string().optional().defaultValue("d").build())
          .field("number", Schema.INT64_SCHEMA)
          .build();
  private static final Schema INNER =
      SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).optional().build();
  private static final Schema OUTER =
      SchemaBuilder.struct()
          .field("s", Schema.OPTIONAL_STRING_SCHEMA)
          .field("inner", INNER)
          .build();

  @Test
  void theConnectWeShipAgainstLetsValuesBeReadAndWrittenInTheArray() {
    assertThat(StructValues.direct())
        .as("Struct.values reachable: otherwise every read looks names up, every put validates")
        .isTrue();
  }

  @Test
  void readsWhatGetWithoutDefaultReadsForEveryField() {
    Struct set = new Struct(SCHEMA).put("plain", "p").put("defaulted", "x").put("number", 7L);
    Struct nulls = new Struct(SCHEMA).put("number", 8L);
    for (Struct struct : new Struct[] {set, nulls}) {
      for (var field : SCHEMA.fields()) {
        assertThat(StructValues.withoutDefault(struct, field))
            .as(field.name())
            .isEqualTo(struct.getWithoutDefault(field.name()));
      }
    }
  }

  @Test
  void aNullWithADefaultStaysNullUnlikeStructGet() {
    Struct struct = new Struct(SCHEMA).put("number", 1L);
    var defaulted = SCHEMA.field("defaulted");
    assertThat(struct.get(defaulted)).isEqualTo("d");
    assertThat(StructValues.withoutDefault(struct, defaulted)).isNull();
  }

  @Test
  void aFieldOfAnEqualSchemaReadsTheSameValue() {
    Schema equal =
        SchemaBuilder.struct()
            .field("plain", Schema.OPTIONAL_STRING_SCHEMA)
            .field("defaulted", SchemaBuilder.string().optional().defaultValue("d").build())
            .field("number", Schema.INT64_SCHEMA)
            .build();
    Struct struct = new Struct(SCHEMA).put("plain", "p").put("number", 3L);
    assertThat(StructValues.withoutDefault(struct, equal.field("plain"))).isEqualTo("p");
    assertThat(StructValues.withoutDefault(struct, equal.field("defaulted"))).isNull();
    assertThat(StructValues.withoutDefault(struct, equal.field("number"))).isEqualTo(3L);
  }

  @Test
  void findsAFieldAtItsIndexOrByName() {
    assertThat(StructValues.field(SCHEMA, 1, "defaulted")).isSameAs(SCHEMA.field("defaulted"));
    assertThat(StructValues.field(SCHEMA, 0, "number")).isSameAs(SCHEMA.field("number"));
    assertThat(StructValues.field(SCHEMA, 7, "plain")).isSameAs(SCHEMA.field("plain"));
    assertThat(StructValues.field(SCHEMA, 2, "missing")).isNull();
  }

  @Test
  void aStructFilledDirectlyEqualsOneFilledByPutAndValidates() {
    Struct inner = new Struct(INNER);
    StructValues.putChecked(inner, INNER.field("n"), 7);
    Struct outer = new Struct(OUTER);
    StructValues.putChecked(outer, OUTER.field("s"), "text");
    StructValues.putChecked(outer, OUTER.field("inner"), inner);

    Struct expected =
        new Struct(OUTER).put("s", "text").put("inner", new Struct(INNER).put("n", 7));
    assertThat(outer).isEqualTo(expected);
    assertThat(outer.getStruct("inner").getInt32("n")).isEqualTo(7);
    outer.validate();
  }

  /**
   * Connect loads a plugin's classes in a class loader of their own, child-first, while {@code
   * Struct} comes from the worker's: the value array must be reachable across them too.
   */
  @Test
  void fromAPluginsOwnClassLoaderTheArrayIsReachedToo() throws Exception {
    URL classes = StructValues.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader plugin = new ChildFirst(classes, Struct.class.getClassLoader())) {
      Class<?> loaded = plugin.loadClass(StructValues.class.getName());
      assertThat(loaded.getClassLoader()).isSameAs(plugin);
      Method direct = loaded.getDeclaredMethod("direct");
      direct.setAccessible(true);
      assertThat(direct.invoke(null)).isEqualTo(true);
    }
  }

  /** Loads this module's classes itself, everything else from its parent, as Connect's does. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL classes, ClassLoader parent) {
      super(new URL[] {classes}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null && name.startsWith("io.pgsearch.")) {
          loaded = findClass(name);
        }
        return loaded != null ? loaded : super.loadClass(name, resolve);
      }
    }
  }
}
