package io.pgsearch.connect.converters;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class CheckedStructsTest {
  private static final Schema INNER =
      SchemaBuilder.struct().field("n", Schema.INT32_SCHEMA).optional().build();
  private static final Schema OUTER =
      SchemaBuilder.struct()
          .field("s", Schema.OPTIONAL_STRING_SCHEMA)
          .field("inner", INNER)
          .build();

  @Test
  void theConnectWeShipAgainstLetsValuesGoIntoTheArrayDirectly() {
    assertThat(CheckedStructs.direct())
        .as("Struct.values reachable: otherwise every read pays Struct.put's validation again")
        .isTrue();
  }

  /**
   * Connect loads a plugin's classes in a class loader of their own, child-first, while {@code
   * Struct} comes from the worker's: the value array must be reachable across them too.
   */
  @Test
  void fromAPluginsOwnClassLoaderTheArrayIsReachedToo() throws Exception {
    URL classes = CheckedStructs.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader plugin = new ChildFirst(classes, Struct.class.getClassLoader())) {
      Class<?> loaded = plugin.loadClass(CheckedStructs.class.getName());
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

  @Test
  void aStructFilledDirectlyEqualsOneFilledByPutAndValidates() {
    Struct inner = new Struct(INNER);
    CheckedStructs.put(inner, INNER.field("n"), 7);
    Struct outer = new Struct(OUTER);
    CheckedStructs.put(outer, OUTER.field("s"), "text");
    CheckedStructs.put(outer, OUTER.field("inner"), inner);

    Struct expected =
        new Struct(OUTER).put("s", "text").put("inner", new Struct(INNER).put("n", 7));
    assertThat(outer).isEqualTo(expected);
    assertThat(outer.getStruct("inner").getInt32("n")).isEqualTo(7);
    outer.validate();
  }
}
