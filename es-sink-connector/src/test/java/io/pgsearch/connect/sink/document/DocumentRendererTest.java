package io.pgsearch.connect.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * What a task's renderer keeps from document to document (its generator and buffer, field names,
 * document schemas) never shows in a document: each one is what a fresh renderer writes.
 */
class DocumentRendererTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .field("id", Schema.INT64_SCHEMA)
          .field("näme \"q\"\n", Schema.OPTIONAL_STRING_SCHEMA)
          .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .build();

  private final DocumentRenderer renderer = new DocumentRenderer();

  @Test
  void documentsInARowAreEachWhatAFreshRendererWrites() {
    for (long id = 1; id <= 3; id++) {
      Struct row = new Struct(ROW).put("id", id).put("näme \"q\"\n", "ü" + id);
      assertThat(text(renderer.toBytes(ROW, row)))
          .isEqualTo(fresh(ROW, row))
          .isEqualTo("{\"id\":" + id + ",\"näme \\\"q\\\"\\n\":\"ü" + id + "\",\"score\":null}");
    }
  }

  @Test
  void aDocumentAfterAFailedOneIsWhole() {
    Struct bad = new Struct(ROW).put("id", 1L).put("score", Double.NaN);
    assertThatThrownBy(() -> renderer.toBytes(ROW, bad))
        .isInstanceOf(DocumentException.class)
        .hasMessageContaining("NaN");
    Map<String, Object> badMap = new LinkedHashMap<>();
    badMap.put("a", 1);
    badMap.put("b", Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> renderer.toBytes(null, badMap)).isInstanceOf(DocumentException.class);

    Struct good = new Struct(ROW).put("id", 2L).put("score", 0.5);
    assertThat(text(renderer.toBytes(ROW, good)))
        .isEqualTo("{\"id\":2,\"näme \\\"q\\\"\\n\":null,\"score\":0.5}");
    assertThat(text(renderer.toBytes(null, Map.of("a", 1)))).isEqualTo("{\"a\":1}");
  }

  @Test
  void equalSchemasOfTwoTasksRenderAlike() {
    Schema other =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("näme \"q\"\n", Schema.OPTIONAL_STRING_SCHEMA)
            .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();
    assertThat(other).isEqualTo(ROW).isNotSameAs(ROW);
    assertThat(text(renderer.toBytes(other, new Struct(other).put("id", 3L))))
        .isEqualTo(text(renderer.toBytes(ROW, new Struct(ROW).put("id", 3L))))
        .isEqualTo("{\"id\":3,\"näme \\\"q\\\"\\n\":null,\"score\":null}");
  }

  @Test
  void manySchemasStillRenderWhenTheKeptOnesAreDropped() {
    for (int i = 0; i <= DocumentRenderer.SCHEMAS; i++) {
      Schema schema = SchemaBuilder.struct().field("f" + i, Schema.INT32_SCHEMA).build();
      assertThat(text(renderer.toBytes(schema, new Struct(schema).put("f" + i, i))))
          .isEqualTo("{\"f" + i + "\":" + i + "}");
    }
    assertThat(text(renderer.toBytes(ROW, new Struct(ROW).put("id", 7L))))
        .isEqualTo(fresh(ROW, new Struct(ROW).put("id", 7L)));
  }

  @Test
  void afterCloseItStillRenders() {
    renderer.toBytes(ROW, new Struct(ROW).put("id", 1L));
    renderer.close();
    assertThat(text(renderer.toBytes(ROW, new Struct(ROW).put("id", 2L))))
        .isEqualTo("{\"id\":2,\"näme \\\"q\\\"\\n\":null,\"score\":null}");
    renderer.close();
  }

  private static String fresh(Schema schema, Object value) {
    try (DocumentRenderer once = new DocumentRenderer()) {
      return text(once.toBytes(schema, value));
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
