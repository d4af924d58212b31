package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RootPagesTest {
  @Test
  void knownKeysComeInPagesOfABatch() throws Exception {
    List<List<Object>> keys = IntStream.range(0, 1_100).mapToObj(i -> List.<Object>of(i)).toList();
    assertThat(sizes(RootPages.of(keys))).containsExactly(500, 500, 100);
  }

  @Test
  void aKeysetPageShorterThanABatchIsTheLast() throws Exception {
    List<Object> afters = new ArrayList<>();
    RootPages pages =
        RootPages.keyset(
            after -> {
              afters.add(after == null ? "start" : after.get(0));
              int from = after == null ? 0 : (Integer) after.get(0) + 1;
              return IntStream.range(from, Math.min(1_000, from + 500))
                  .mapToObj(i -> List.<Object>of(i))
                  .toList();
            });
    assertThat(sizes(pages)).containsExactly(500, 500);
    assertThat(afters)
        .as("a full last page costs one more, empty, query")
        .containsExactly("start", 499, 999);
    assertThat(pages.next()).as("no query once done").isEmpty();
    assertThat(afters).hasSize(3);
  }

  @Test
  void concatenatedPagesSkipEmptyParts() throws Exception {
    RootPages pages =
        RootPages.concat(
            List.of(
                RootPages.of(List.of()),
                RootPages.of(List.of(List.of(1), List.of(2))),
                RootPages.of(List.of()),
                RootPages.of(List.of(List.of(3)))));
    assertThat(sizes(pages)).containsExactly(2, 1);
  }

  private static List<Integer> sizes(RootPages pages) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (List<List<Object>> page = pages.next(); !page.isEmpty(); page = pages.next()) {
      sizes.add(page.size());
    }
    return sizes;
  }
}
