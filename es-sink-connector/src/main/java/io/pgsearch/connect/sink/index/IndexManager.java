package io.pgsearch.connect.sink.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.CreateIndexRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.config.IndexConfigs;
import io.pgsearch.connect.sink.config.MappingMode;
import io.pgsearch.connect.sink.document.DocumentValues;
import java.io.IOException;
import java.io.StringReader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an index the first time a task writes to it, unless it exists: from the configured
 * definition, or with mappings inferred from the record's schema, or with dynamic mappings. An
 * existing index is used as it is.
 */
public final class IndexManager {
  private static final Logger log = LoggerFactory.getLogger(IndexManager.class);

  private final ElasticsearchClient client;
  private final String definition;
  private final MappingMode mode;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public IndexManager(ElasticsearchClient client, String definition, MappingMode mode) {
    this.client = client;
    this.definition = definition;
    this.mode = mode;
  }

  /**
   * Makes sure the index exists. Throws {@link RetriableException} when Elasticsearch cannot be
   * reached, and {@link ConnectException} when it refuses the definition.
   */
  public void ensure(String index, Schema valueSchema) {
    if (known.contains(index)) {
      return;
    }
    try {
      if (!client.indices().exists(e -> e.index(index)).value()) {
        create(index, valueSchema);
      }
      known.add(index);
    } catch (ElasticsearchException e) {
      if ("resource_already_exists_exception".equals(e.error().type())) {
        known.add(index); // another task created it first
      } else if (e.status() == 429 || e.status() >= 500) {
        throw new RetriableException("Elasticsearch could not check or create index " + index, e);
      } else {
        throw new ConnectException(
            "Elasticsearch refused to create index "
                + index
                + " ("
                + e.error().type()
                + ": "
                + e.error().reason()
                + "): check "
                + IndexConfigs.DEFINITION
                + " / "
                + IndexConfigs.DEFINITION_FILE,
            e);
      }
    } catch (IOException e) {
      throw new RetriableException("Elasticsearch could not be reached to check index " + index, e);
    }
  }

  /** Forgets an index that disappeared, so the next write creates it again. */
  public void forget(String index) {
    known.remove(index);
  }

  private void create(String index, Schema valueSchema) throws IOException {
    CreateIndexRequest.Builder request = new CreateIndexRequest.Builder();
    if (definition != null) {
      request.withJson(new StringReader(definition));
    } else if (mode == MappingMode.INFER) {
      ObjectNode mappings = MappingInference.mappings(valueSchema);
      if (mappings != null) {
        request.withJson(
            new StringReader(
                "{\"mappings\":" + DocumentValues.JSON.writeValueAsString(mappings) + "}"));
      }
    }
    client.indices().create(request.index(index).build());
    log.info(
        "Created index {} ({})",
        index,
        definition != null ? "from the configured definition" : mode);
  }
}
