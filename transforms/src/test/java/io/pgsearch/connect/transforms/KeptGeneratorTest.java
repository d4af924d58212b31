package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A generator kept from record to record writes each record as a fresh one would. */
class KeptGeneratorTest {
  private final KeptGenerator kept = new KeptGenerator(new JsonFactory());

  @Test
  void eachRecordHasItsPrefixValueAndSuffixAndNothingElse() throws IOException {
    byte[] prefix = "{\"payload\":".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = {'}'};
    for (int i = 0; i < 3; i++) {
      int n = i;
      assertThat(text(kept.write(prefix, g -> g.writeNumber(n), suffix)))
          .isEqualTo("{\"payload\":" + n + "}");
    }
    assertThat(text(kept.write(null, g -> g.writeString("x"), null))).isEqualTo("\"x\"");
  }

  @Test
  void aRecordAfterAFailedOneStartsAfresh() throws IOException {
    assertThatThrownBy(
            () ->
                kept.write(
                    null,
                    g -> {
                      g.writeStartObject();
                      g.writeFieldName("half");
                      throw new IllegalStateException("failed inside the record");
                    },
                    null))
        .hasMessage("failed inside the record");

    assertThat(text(kept.write(null, g -> g.writeBoolean(true), null))).isEqualTo("true");
  }

  @Test
  void afterCloseItWritesAgain() throws IOException {
    kept.write(null, g -> g.writeNumber(1), null);
    kept.close();
    assertThat(text(kept.write(null, g -> g.writeNumber(2), null))).isEqualTo("2");
    kept.close();
    kept.close();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
