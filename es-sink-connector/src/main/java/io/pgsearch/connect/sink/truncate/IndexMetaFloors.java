package io.pgsearch.connect.sink.truncate;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
import co.elastic.clients.elasticsearch.indices.get_mapping.IndexMappingRecord;
import co.elastic.clients.json.JsonData;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps each index's truncate floor in its mapping's {@code _meta}, beside the table it holds: it
 * lives and dies with the index, every task can read it, and it needs no index of its own.
 */
public final class IndexMetaFloors implements FloorStore {
  /** The {@code _meta} key holding the floor: the version of the table's last TRUNCATE. */
  public static final String META_KEY = "pgsearch_truncated_before";

  private final ElasticsearchClient client;

  public IndexMetaFloors(ElasticsearchClient client) {
    this.client = client;
  }

  @Override
  public Map<String, Long> read(Collection<String> indexes) throws IOException {
    Map<String, Long> floors = new HashMap<>();
    try {
      GetMappingResponse response =
          client
              .indices()
              .getMapping(g -> g.index(String.join(",", indexes)).ignoreUnavailable(true));
      for (String index : indexes) {
        IndexMappingRecord record = response.result().get(index);
        if (record == null && !response.result().isEmpty()) {
          // An alias: the response names the concrete index.
          record = single(index);
        }
        Long floor = record == null ? null : floor(record.mappings().meta());
        if (floor != null) {
          floors.put(index, floor);
        }
      }
      return floors;
    } catch (ElasticsearchException e) {
      throw translated(e);
    }
  }

  private IndexMappingRecord single(String index) throws IOException {
    GetMappingResponse response =
        client.indices().getMapping(g -> g.index(index).ignoreUnavailable(true));
    return response.result().values().stream().findFirst().orElse(null);
  }

  @Override
  public void write(String index, long floor) throws IOException {
    try {
      IndexMappingRecord record = single(index);
      if (record == null) {
        return; // no index, nothing in it to protect
      }
      Map<String, JsonData> meta = new HashMap<>(record.mappings().meta());
      Long current = floor(meta);
      if (current != null && current >= floor) {
        return;
      }
      meta.put(META_KEY, JsonData.of(floor));
      client.indices().putMapping(p -> p.index(index).meta(meta));
    } catch (ElasticsearchException e) {
      throw translated(e);
    }
  }

  private static Long floor(Map<String, JsonData> meta) {
    JsonData value = meta == null ? null : meta.get(META_KEY);
    return value == null ? null : value.to(Long.class);
  }

  private static IOException translated(ElasticsearchException e) {
    if (e.status() == 401 || e.status() == 403) {
      return new FloorsUnreadable(e.error().type() + ": " + e.error().reason(), e);
    }
    return new IOException(e.getMessage(), e);
  }
}
