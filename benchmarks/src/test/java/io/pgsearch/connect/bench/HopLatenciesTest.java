package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HopLatenciesTest {

  private static HopLatencies.Times times(String json) throws Exception {
    return HopLatencies.times(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsThePayloadOfAnEnvelopeWithItsSchema() throws Exception {
    String schema =
        "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"field\":\"op\"},"
            + "{\"type\":\"int64\",\"field\":\"ts_ms\"}],\"name\":\"x\",\"ts_ms\":1}";
    String payload =
        "{\"before\":null,\"after\":{\"id\":1,\"ts_ms\":5,\"tags\":[1,{\"op\":\"d\"}]},"
            + "\"source\":{\"version\":\"3\",\"ts_ms\":1000,\"lsn\":[1,2],\"x\":{\"ts_ms\":9}},"
            + "\"op\":\"u\",\"ts_ms\":1042,\"transaction\":null}";

    assertThat(times("{\"schema\":" + schema + ",\"payload\":" + payload + "}"))
        .isEqualTo(new HopLatencies.Times("u", 1000, 1042));
    assertThat(times("{\"payload\":" + payload + ",\"schema\":" + schema + "}"))
        .isEqualTo(new HopLatencies.Times("u", 1000, 1042));
  }

  @Test
  void readsAnEventWithoutSchema() throws Exception {
    assertThat(times("{\"op\":\"c\",\"source\":{\"ts_ms\":7},\"ts_ms\":8,\"after\":{\"a\":[]}}"))
        .isEqualTo(new HopLatencies.Times("c", 7, 8));
  }

  @Test
  void anythingElseHasNoOp() throws Exception {
    assertThat(times("[1,2]").op()).isNull();
    assertThat(times("{\"payload\":[{\"op\":\"c\"}],\"source\":\"s\"}").op()).isNull();
    assertThat(times("{\"schema\":{},\"payload\":null}").op()).isNull();
  }
}
