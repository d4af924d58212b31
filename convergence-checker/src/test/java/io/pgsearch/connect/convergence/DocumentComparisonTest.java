package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DocumentComparisonTest {
  private static final String ORDER =
      "{\"id\":1,\"total\":12.50,\"customer\":{\"id\":7,\"name\":\"Ann\"},"
          + "\"items\":[{\"line\":1,\"product\":{\"name\":\"red\"}},"
          + "{\"line\":2,\"product\":{\"name\":\"blue\"}}]}";

  @Test
  void equalDocumentsHaveNoDifference() {
    assertThat(DocumentComparison.differences(json(ORDER), json(ORDER))).isEmpty();
    // Key order does not matter; fields a transform added are not compared.
    String reordered =
        "{\"items\":[{\"product\":{\"name\":\"red\"},\"line\":1},"
            + "{\"line\":2,\"product\":{\"name\":\"blue\"}}],\"total\":12.50,"
            + "\"customer\":{\"name\":\"Ann\",\"id\":7},\"id\":1,\"__omitted\":[]}";
    assertThat(DocumentComparison.differences(json(ORDER), json(reordered))).isEmpty();
  }

  @Test
  void differencesAreNamedByPath() {
    String stale =
        ORDER.replace("\"Ann\"", "\"Bob\"").replace("\"blue\"", "\"green\"").replace("12.50", "13");
    assertThat(DocumentComparison.differences(json(ORDER), json(stale)))
        .containsExactly("total", "customer.name", "items[1].product.name");
  }

  @Test
  void anArrayOfAnotherLengthIsOneDifference() {
    String shorter = ORDER.replace(",{\"line\":2,\"product\":{\"name\":\"blue\"}}", "");
    assertThat(DocumentComparison.differences(json(ORDER), json(shorter))).containsExactly("items");
  }

  @Test
  void nullEqualsAbsentButNotAValue() {
    String noCustomer = "{\"id\":1,\"customer\":null}";
    assertThat(DocumentComparison.differences(json(noCustomer), json("{\"id\":1}"))).isEmpty();
    assertThat(
            DocumentComparison.differences(
                json(noCustomer), json("{\"id\":1,\"customer\":{\"id\":7}}")))
        .containsExactly("customer");
    assertThat(
            DocumentComparison.differences(
                json("{\"customer\":{\"id\":7,\"name\":null}}"), json("{\"customer\":{\"id\":7}}")))
        .isEmpty();
    assertThat(
            DocumentComparison.differences(
                json("{\"customer\":{\"id\":7}}"), json("{\"customer\":{\"id\":7,\"x\":1}}")))
        .as("a nested field the rebuilt document lacks is a difference: the sink adds none")
        .containsExactly("customer.x");
  }

  @Test
  void numbersCompareByValue() {
    // 12.5 and 12.50 are one value to Elasticsearch; 12.51 is another.
    assertThat(DocumentComparison.differences(json(ORDER), json(ORDER.replace("12.50", "12.5"))))
        .isEmpty();
    assertThat(DocumentComparison.differences(json(ORDER), json(ORDER.replace("12.50", "12.51"))))
        .containsExactly("total");
  }

  @Test
  void atMostFivePathsPerDocument() {
    String expected = "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7}";
    assertThat(DocumentComparison.differences(json(expected), json("{}")))
        .hasSize(DocumentComparison.MAX_PATHS);
  }

  private static JsonNode json(String text) {
    try {
      return ConvergenceChecker.JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
