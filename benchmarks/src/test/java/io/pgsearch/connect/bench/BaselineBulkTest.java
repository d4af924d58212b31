package io.pgsearch.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineBulkTest {
  static List<BaselineBulk.Doc> docs(int n, int size) {
    List<BaselineBulk.Doc> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(new BaselineBulk.Doc(Integer.toString(i), new byte[size]));
    }
    return docs;
  }

  @Test
  void bulksAreCutByCountLikeTheSink() {
    List<List<BaselineBulk.Doc>> bulks = BaselineBulk.bulks(docs(4_500, 10), 2_000, 5_000_000);
    assertThat(bulks).extracting(List::size).containsExactly(2_000, 2_000, 500);
    assertThat(bulks.get(2).get(0).id()).isEqualTo("4000");
  }

  @Test
  void bulksAreCutByBytes() {
    List<List<BaselineBulk.Doc>> bulks = BaselineBulk.bulks(docs(10, 300), 2_000, 1_000);
    assertThat(bulks).extracting(List::size).containsExactly(3, 3, 3, 1);
  }

  @Test
  void aDocumentLargerThanTheByteLimitGoesAlone() {
    List<BaselineBulk.Doc> docs = new ArrayList<>(docs(1, 10));
    docs.add(new BaselineBulk.Doc("big", new byte[5_000]));
    docs.addAll(docs(1, 10));
    assertThat(BaselineBulk.bulks(docs, 2_000, 1_000))
        .extracting(List::size)
        .containsExactly(1, 1, 1);
    assertThat(BaselineBulk.bulks(List.of(), 2_000, 1_000)).isEmpty();
  }
}
