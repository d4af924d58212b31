package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.devstack.ConfigReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** docs/config/transforms.md is generated from the ConfigDef of every registered transform. */
class ConfigReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "config", "transforms.md");

  @Test
  void everyRegisteredTransformIsDocumentedAndTheReferenceIsCurrent() throws Exception {
    StringBuilder markdown =
        new StringBuilder(
            "# Transforms configuration reference\n\n"
                + "Generated from the code by ConfigReferenceTest; see ../transforms.md for how to"
                + " use them.\n\n");
    for (Class<?> transform : documentedClasses()) {
      ConfigDef definition = (ConfigDef) transform.getField("CONFIG_DEF").get(null);
      String overview = (String) transform.getField("OVERVIEW_DOC").get(null);
      assertThat(ConfigReference.undocumentedKeys(definition)).as(transform.getName()).isEmpty();
      assertThat(overview).as(transform.getName()).isNotBlank();
      markdown.append(
          ConfigReference.markdown("`" + transform.getName() + "`", overview, definition));
    }

    ConfigReference.verify(REFERENCE, markdown.toString());
  }

  /**
   * The registered transforms, nested variants ($Key, $Value) documented once by their outer class.
   */
  private static Set<Class<?>> documentedClasses() throws IOException, ClassNotFoundException {
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (String name : registered()) {
      Class<?> type = Class.forName(name);
      classes.add(type.getEnclosingClass() == null ? type : type.getEnclosingClass());
    }
    assertThat(classes).isNotEmpty();
    return classes;
  }

  private static List<String> registered() throws IOException {
    try (InputStream in =
        ConfigReferenceTest.class.getResourceAsStream(
            "/META-INF/services/org.apache.kafka.connect.transforms.Transformation")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    }
  }
}
