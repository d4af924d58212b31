package io.pgsearch.connect.sink.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IndexGenerationsTest {

  @Test
  void aGenerationIsTheAliasADashAndSixDigits() {
    assertThat(IndexGenerations.name("products", IndexGenerations.FIRST))
        .isEqualTo("products-000001");
    assertThat(IndexGenerations.name("shop.public.orders", 12))
        .isEqualTo("shop.public.orders-000012");
  }

  @Test
  void aLongAliasIsCutSoTheNameFitsIn255Bytes() {
    String alias = "\u00e9".repeat(127) + "x"; // 255 bytes
    String name = IndexGenerations.name(alias, 3);
    assertThat(name).endsWith("-000003");
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(alias).startsWith(name.substring(0, name.length() - 7));
  }
}
