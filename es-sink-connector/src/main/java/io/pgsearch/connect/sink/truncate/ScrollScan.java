package io.pgsearch.connect.sink.truncate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Time;
import co.elastic.clients.elasticsearch.core.search.ResponseBody;
import co.elastic.clients.json.JsonData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DocumentScan} on the scroll API in index order ({@code _doc}), ids and versions only:
 * the cheapest way to read a whole index, and available on every distribution (point in time is
 * not).
 */
public final class ScrollScan implements DocumentScan {
  static final int PAGE_SIZE = 1_000;
  private static final Time KEEP_ALIVE = Time.of(t -> t.time("5m"));

  private final ElasticsearchClient client;

  public ScrollScan(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public Page open(String index) throws IOException {
    try {
      client.indices().refresh(r -> r.index(index));
      return page(
          client.search(
              s ->
                  s.index(index)
                      .scroll(KEEP_ALIVE)
                      .size(PAGE_SIZE)
                      .sort(o -> o.doc(d -> d))
                      .source(c -> c.fetch(false))
                      .version(true),
              JsonData.class));
    } catch (ElasticsearchException e) {
      if ("index_not_found_exception".equals(e.error().type())) {
        return new Page(null, List.of());
      }
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public Page next(String cursor) throws IOException {
    try {
      return page(client.scroll(s -> s.scrollId(cursor).scroll(KEEP_ALIVE), JsonData.class));
    } catch (ElasticsearchException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close(String cursor) {
    try {
      client.clearScroll(c -> c.scrollId(cursor));
    } catch (IOException | RuntimeException e) {
      // it expires on its own
    }
  }

  private Page page(ResponseBody<JsonData> response) {
    List<Hit> hits = new ArrayList<>(response.hits().hits().size());
    for (co.elastic.clients.elasticsearch.core.search.Hit<JsonData> hit : response.hits().hits()) {
      hits.add(new Hit(hit.id(), hit.version() == null ? 0 : hit.version()));
    }
    if (hits.isEmpty()) {
      if (response.scrollId() != null) {
        close(response.scrollId());
      }
      return new Page(null, hits);
    }
    return new Page(response.scrollId(), hits);
  }
}
