package io.pgsearch.connect.converters;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated schemas and values, a fixed set of seeds: both converters write the same bytes and read
 * them (and the same envelope pretty-printed, and with its members swapped) alike. A failure names
 * its seed and case, to replay it.
 */
class StreamingJsonConverterPropertyTest {
  private static final int CASES = 300;
  private static final ObjectMapper TREES =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 2L, 3L, 17L, 42L, 1234L, 99991L, 20261126L})
  void randomDataIsWrittenAndReadAsJsonConverterDoes(long seed) throws Exception {
    RandomConnectData data = new RandomConnectData(seed);
    Equivalence[] settings = {
      Equivalence.of(true, "BASE64", false),
      Equivalence.of(true, "NUMERIC", true),
      Equivalence.of(false, "NUMERIC", false),
      Equivalence.of(false, "BASE64", true),
    };
    for (int i = 0; i < CASES; i++) {
      Equivalence both = settings[i % settings.length];
      Schema schema = data.schema(3);
      Object value = data.value(schema, true);
      try {
        byte[] bytes = both.roundTrip(schema, value);
        if (bytes != null && both.settings.contains("schemas.enable=true")) {
          both.sameRead(
              TREES.writerWithDefaultPrettyPrinter().writeValueAsBytes(TREES.readTree(bytes)));
          both.sameRead(swapped(bytes));
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + ", case " + i + ", schema " + schema + ": " + e.getMessage(), e);
      }
    }
  }

  private static byte[] swapped(byte[] envelope) throws Exception {
    ObjectNode read = (ObjectNode) TREES.readTree(envelope);
    ObjectNode swapped = TREES.createObjectNode();
    swapped.set("payload", read.get("payload"));
    swapped.set("schema", read.get("schema"));
    return TREES.writeValueAsBytes(swapped);
  }
}
