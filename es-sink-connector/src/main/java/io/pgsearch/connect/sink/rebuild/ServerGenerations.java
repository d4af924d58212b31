package io.pgsearch.connect.sink.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.index.IndexManager;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServerException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/** {@link GenerationStore} on the server, through the index and alias APIs. */
public final class ServerGenerations implements GenerationStore {
  private final SearchClient client;
  private final IndexManager indexes;

  public ServerGenerations(SearchClient client, IndexManager indexes) {
    this.client = client;
    this.indexes = indexes;
  }

  @Override
  public AliasGenerations read(String alias) throws IOException {
    String names = SearchClient.segment(List.of(alias, alias + "-*"));
    return AliasGenerations.parse(
        alias,
        client.send(
            "GET",
            "/"
                + names
                + "?ignore_unavailable=true&allow_no_indices=true"
                + "&filter_path=*.aliases,*.mappings._meta",
            null));
  }

  @Override
  public boolean create(
      String alias, String generation, Schema valueSchema, String source, Map<String, ?> meta)
      throws IOException {
    try {
      indexes.createGeneration(alias, generation, valueSchema, source, meta);
      return true;
    } catch (SearchServerException e) {
      if ("resource_already_exists_exception".equals(e.type())) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void markCaughtUp(String generation, int partition) throws IOException {
    ObjectNode body = DocumentJson.JSON.createObjectNode();
    body.putArray("actions")
        .addObject()
        .putObject("add")
        .put("index", generation)
        .put("alias", AliasGenerations.caughtUpAlias(generation, partition));
    client.send("POST", "/_aliases", body);
  }

  @Override
  public void swap(AliasGenerations state) throws IOException {
    AliasGenerations.Building building = state.building();
    client.send("POST", "/" + SearchClient.segment(building.index()) + "/_refresh", null);
    ObjectNode body = DocumentJson.JSON.createObjectNode();
    ArrayNode actions = body.putArray("actions");
    actions.addObject().putObject("remove").put("index", state.live()).put("alias", state.alias());
    actions
        .addObject()
        .putObject("add")
        .put("index", building.index())
        .put("alias", state.alias())
        .put("is_write_index", true);
    for (String marker : building.markers()) {
      actions.addObject().putObject("remove").put("index", building.index()).put("alias", marker);
    }
    client.send("POST", "/_aliases", body);
  }

  @Override
  public boolean idle(String index) throws IOException {
    JsonNode search =
        client
            .send(
                "GET",
                "/" + SearchClient.segment(index) + "/_stats/search?filter_path=_all.total.search",
                null)
            .path("_all")
            .path("total")
            .path("search");
    return search.path("query_current").asLong(0) == 0
        && search.path("fetch_current").asLong(0) == 0
        && search.path("open_contexts").asLong(0) == 0
        && search.path("scroll_current").asLong(0) == 0;
  }

  @Override
  public void delete(String index) throws IOException {
    try {
      client.send("DELETE", "/" + SearchClient.segment(index), null);
    } catch (SearchServerException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }
}
