package io.pgsearch.connect.sink.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk responses as Elasticsearch and OpenSearch write them, read item by item in order. */
class BulkItemsTest {

  @Test
  void eachItemKeepsItsStatusIdAndErrorInRequestOrder() throws IOException {
    String response =
        """
        {"took":3,"errors":true,"items":[
          {"index":{"_index":"i","_id":"1","_version":5,"result":"created",
            "_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,
            "status":201}},
          {"delete":{"_index":"i","_id":"2","_version":7,"result":"not_found","status":404}},
          {"index":{"_index":"i","_id":"3","status":409,"error":{"type":
            "version_conflict_engine_exception","reason":"[3]: version conflict, current version
             [9] is higher or equal to the one provided [8]","index_uuid":"x","shard":"0",
            "index":"i"}}},
          {"update":{"_index":"i","_id":"4","status":400,"error":{"type":
            "mapper_parsing_exception","reason":"failed to parse field [n]","caused_by":{"type":
            "number_format_exception","reason":"For input string"}}}}
        ]}
        """
            .replace("\n", " ");
    List<BulkItem> items = parse(response);
    assertThat(items)
        .extracting(BulkItem::status, BulkItem::id, BulkItem::errorType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(201, "1", null),
            org.assertj.core.groups.Tuple.tuple(404, "2", null),
            org.assertj.core.groups.Tuple.tuple(409, "3", "version_conflict_engine_exception"),
            org.assertj.core.groups.Tuple.tuple(400, "4", "mapper_parsing_exception"));
    assertThat(items.get(3).errorReason()).isEqualTo("failed to parse field [n]");
    assertThat(items.get(0).errorReason()).isNull();
  }

  @Test
  void fieldsAfterTheItemsAreSkipped() throws IOException {
    assertThat(parse("{\"items\":[{\"index\":{\"status\":200}}],\"took\":1,\"x\":{\"y\":[1]}}"))
        .containsExactly(new BulkItem(200, null, null, null));
  }

  @Test
  void anErrorGivenAsTextKeepsItAsTheReason() throws IOException {
    assertThat(parse("{\"items\":[{\"index\":{\"status\":500,\"error\":\"boom\"}}]}"))
        .containsExactly(new BulkItem(500, null, "error", "boom"));
  }

  @Test
  void aBodyThatIsNotABulkResponseIsAnError() {
    assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(IOException.class);
  }

  private static List<BulkItem> parse(String json) throws IOException {
    return BulkItems.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }
}
