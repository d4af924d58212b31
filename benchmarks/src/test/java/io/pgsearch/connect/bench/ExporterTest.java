package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.sink.document.DocumentJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

class ExporterTest {
  @Test
  void jsonbIsEmbeddedWithExactNumbersAndOtherValuesPassThrough() throws Exception {
    PGobject jsonb = new PGobject();
    jsonb.setType("jsonb");
    jsonb.setValue("{\"w\": 1.50, \"tags\": [\"t1\"]}");
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attributes", Exporter.value(jsonb));
    row.put("price", Exporter.value(new BigDecimal("12.30")));
    row.put("sku", Exporter.value("SKU-1"));

    assertThat(new String(DocumentJson.toBytes(null, row), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"attributes\":{\"w\":1.50,\"tags\":[\"t1\"]},\"price\":12.30,\"sku\":\"SKU-1\"}");
  }
}
