package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgsearch.connect.sink.document.DocumentJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The bulk body as the servers read it: one JSON value per line, actions with their versions. */
class BulkBodyTest {
  private static final RecordPosition AT = new RecordPosition(new TopicPartition("t", 0), 0);

  @Test
  void eachKindWritesItsActionAndSourceLines() {
    byte[] doc =
        DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("name", "a\nb").put("n", 1));
    List<SinkOperation> operations =
        List.of(
            new SinkOperation(SinkOperation.Kind.INDEX, new DocKey("i", "1"), doc, 7L, null, AT),
            new SinkOperation(SinkOperation.Kind.DELETE, new DocKey("i", "2"), null, 8L, null, AT),
            new SinkOperation(SinkOperation.Kind.INDEX, new DocKey("j", "3"), doc, null, null, AT),
            new SinkOperation(SinkOperation.Kind.UPDATE, new DocKey("i", "4"), doc, 9L, null, AT),
            new SinkOperation(
                SinkOperation.Kind.UPSERT, new DocKey("i", "5"), doc, null, null, AT));
    String body = new String(BulkBody.of(operations), StandardCharsets.UTF_8);
    assertThat(body.split("\n", -1))
        .containsExactly(
            "{\"index\":{\"_index\":\"i\",\"_id\":\"1\",\"version\":7,\"version_type\":\"external_gte\"}}",
            "{\"name\":\"a\\nb\",\"n\":1}",
            "{\"delete\":{\"_index\":\"i\",\"_id\":\"2\",\"version\":8,\"version_type\":\"external_gte\"}}",
            "{\"index\":{\"_index\":\"j\",\"_id\":\"3\"}}",
            "{\"name\":\"a\\nb\",\"n\":1}",
            // partial updates merge: an external version applies to whole writes only
            "{\"update\":{\"_index\":\"i\",\"_id\":\"4\"}}",
            "{\"doc\":{\"name\":\"a\\nb\",\"n\":1}}",
            "{\"update\":{\"_index\":\"i\",\"_id\":\"5\"}}",
            "{\"doc\":{\"name\":\"a\\nb\",\"n\":1},\"doc_as_upsert\":true}",
            "");
  }

  @Test
  void eachOperationsLinesFitInItsSizeBytes() {
    byte[] doc = DocumentJson.toBytes(JsonNodeFactory.instance.objectNode().put("n", 1));
    for (SinkOperation.Kind kind : SinkOperation.Kind.values()) {
      for (Long version : new Long[] {null, Long.MAX_VALUE}) {
        SinkOperation operation =
            new SinkOperation(
                kind,
                new DocKey("index-name", "id-1"),
                kind == SinkOperation.Kind.DELETE ? null : doc,
                version,
                null,
                AT);
        assertThat((long) BulkBody.of(List.of(operation)).length)
            .as("%s with version %s", kind, version)
            .isLessThanOrEqualTo(operation.sizeBytes());
      }
    }
  }

  @Test
  void idsAndIndexNamesAreEscapedAsJson() {
    String body =
        new String(
            BulkBody.of(
                List.of(
                    new SinkOperation(
                        SinkOperation.Kind.DELETE,
                        new DocKey("i", "a\"b\\c|\u00e9"),
                        null,
                        null,
                        null,
                        AT))),
            StandardCharsets.UTF_8);
    assertThat(body).isEqualTo("{\"delete\":{\"_index\":\"i\",\"_id\":\"a\\\"b\\\\c|\u00e9\"}}\n");
  }
}
