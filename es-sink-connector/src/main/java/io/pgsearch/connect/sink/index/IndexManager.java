package io.pgsearch.connect.sink.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsearch.connect.sink.config.IndexConfigs;
import io.pgsearch.connect.sink.config.MappingMode;
import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.transport.SearchClient;
import io.pgsearch.connect.sink.transport.SearchServerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an index the first time a task writes to it, unless it exists (as an index or an alias):
 * from the configured definition, or with mappings inferred from the record's schema, or with
 * dynamic mappings, as the first generation behind an alias of the name ({@link IndexGenerations}).
 * An existing index or alias is used as it is. With inferred mappings, a value schema the index has
 * not seen (a column added to a live table) adds its fields' mappings before its first record is
 * queued, so a new geo point, date or exact decimal column is mapped as at creation, not
 * dynamically.
 *
 * <p>Each index records the table it holds ({@link IndexOwner}); a record of another table is
 * refused with an error naming both, instead of mixing two tables in one index.
 */
public final class IndexManager {
  private static final Logger log = LoggerFactory.getLogger(IndexManager.class);

  private final SearchClient client;
  private final String definition;
  private final MappingMode mode;
  private final Map<String, KnownIndex> known = new ConcurrentHashMap<>();

  public IndexManager(SearchClient client, String definition, MappingMode mode) {
    this.client = client;
    this.definition = definition;
    this.mode = mode;
  }

  /**
   * Makes sure the index exists and can take a record of {@code source} ({@code <schema>.<table>},
   * or null when unknown or when the index was named explicitly) with this value schema. Throws
   * {@link RetriableException} when Elasticsearch cannot be reached, and {@link ConnectException}
   * when it refuses the definition or the index holds another table.
   */
  public void ensure(String index, Schema valueSchema, String source) {
    try {
      KnownIndex state = known.get(index);
      if (state == null) {
        state = open(index, valueSchema, source);
        known.put(index, state);
      }
      IndexOwner.conflict(index, state.owner(), source)
          .ifPresent(
              message -> {
                throw new ConnectException(message);
              });
      if (followsSchemas() && !state.schemas().contains(valueSchema)) {
        addMappings(index, valueSchema);
        state.schemas().add(valueSchema); // only once added: a retried record adds them again
      }
    } catch (SearchServerException e) {
      if (e.isTransient()) {
        throw new RetriableException(
            "The search server could not check or create index " + index, e);
      }
      throw new ConnectException(
          "The search server refused to create or update index "
              + index
              + " ("
              + e.type()
              + ": "
              + e.reason()
              + "): check "
              + IndexConfigs.DEFINITION
              + " / "
              + IndexConfigs.DEFINITION_FILE,
          e);
    } catch (IOException e) {
      throw new RetriableException(
          "The search server could not be reached to check index " + index, e);
    }
  }

  /** Forgets an index that disappeared, so the next write creates it again. */
  public void forget(String index) {
    known.remove(index);
  }

  private boolean followsSchemas() {
    return definition == null && mode == MappingMode.INFER;
  }

  private KnownIndex open(String index, Schema valueSchema, String source) throws IOException {
    KnownIndex created = new KnownIndex(source, new SeenSchemas());
    if (!client.exists("/" + SearchClient.segment(index))) {
      try {
        create(index, valueSchema, source);
        created.schemas().add(valueSchema); // its mappings came with the index
        return created;
      } catch (SearchServerException e) {
        if (!"resource_already_exists_exception".equals(e.type())) {
          throw e;
        }
        // another task created it first: read what it recorded
      }
    }
    try {
      ObjectNode meta = meta(index);
      JsonNode owner = meta.get(IndexOwner.META_KEY);
      if (owner != null && owner.isTextual()) {
        return new KnownIndex(owner.asText(), new SeenSchemas());
      }
      if (source != null) {
        ObjectNode claimed = meta.deepCopy();
        claimed.put(IndexOwner.META_KEY, source);
        ObjectNode body = DocumentJson.JSON.createObjectNode();
        body.set("_meta", claimed);
        client.send("PUT", mappingPath(index), body);
      }
    } catch (SearchServerException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      log.warn(
          "Index {} exists and the sink's user may not read or update its mapping ({}): which"
              + " table it holds is not recorded, so rows of two tables named alike would not be"
              + " told apart. Grant view_index_metadata and manage on it to have it checked",
          index,
          e.type());
    }
    return created;
  }

  private static String mappingPath(String index) {
    return "/" + SearchClient.segment(index) + "/_mapping";
  }

  /** The index's mappings: of its concrete index when the name is an alias. */
  private JsonNode mappings(String index) throws IOException {
    JsonNode response = client.send("GET", mappingPath(index), null);
    // Keyed by the concrete index, which differs from the name when it is an alias.
    var indexes = response.elements();
    return indexes.hasNext() ? indexes.next().path("mappings") : DocumentJson.JSON.missingNode();
  }

  private ObjectNode meta(String index) throws IOException {
    return mappings(index).get("_meta") instanceof ObjectNode meta
        ? meta
        : DocumentJson.JSON.createObjectNode();
  }

  private void create(String index, Schema valueSchema, String source) throws IOException {
    ObjectNode body = definition(valueSchema, source);
    // The name is an alias of the first generation, which takes its writes.
    child(body, "aliases").putObject(index).put("is_write_index", true);
    String generation = IndexGenerations.name(index, IndexGenerations.FIRST);
    client.send("PUT", "/" + SearchClient.segment(generation), body);
    log.info("Created index {} behind the alias {} ({})", generation, index, origin());
  }

  /**
   * Creates a later generation of {@code alias} with the definition configured now, outside the
   * alias, its {@code _meta} holding {@code meta} too. Throws {@link SearchServerException} of type
   * {@code resource_already_exists_exception} when it exists.
   */
  public void createGeneration(
      String alias, String generation, Schema valueSchema, String source, Map<String, ?> meta)
      throws IOException {
    ObjectNode body = definition(valueSchema, source);
    ObjectNode metaNode = child(child(body, "mappings"), "_meta");
    meta.forEach((key, value) -> metaNode.set(key, DocumentJson.JSON.valueToTree(value)));
    client.send("PUT", "/" + SearchClient.segment(generation), body);
    log.info("Created index {}, the next generation of {} ({})", generation, alias, origin());
  }

  private String origin() {
    return definition != null ? "from the configured definition" : mode.toString();
  }

  /** The object under {@code name}, added when missing. */
  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode given ? given : parent.putObject(name);
  }

  /** The body that creates an index: the definition, or inferred mappings, and the owner. */
  private ObjectNode definition(Schema valueSchema, String source) throws IOException {
    ObjectNode body = DocumentJson.JSON.createObjectNode();
    if (definition != null) {
      JsonNode given = DocumentJson.JSON.readTree(definition);
      if (given instanceof ObjectNode object) {
        body = object;
      }
    } else if (mode == MappingMode.INFER) {
      ObjectNode mappings = MappingInference.forNewIndex(DocumentJson.documentSchema(valueSchema));
      if (mappings != null) {
        body.set("mappings", mappings);
      }
    }
    if (source != null) {
      child(child(body, "mappings"), "_meta").put(IndexOwner.META_KEY, source);
    }
    return body;
  }

  /**
   * Adds the inferred mappings of a schema the index has not seen. Elasticsearch merges them: new
   * fields are added, unchanged ones stay. A field whose type changed cannot be remapped in place,
   * and Elasticsearch then refuses the whole request: the fields the index lacks are added alone,
   * so a column added after a type change is still mapped as at creation. The changed field keeps
   * its mapping, and values that no longer fit are reported as malformed.
   */
  private void addMappings(String index, Schema valueSchema) throws IOException {
    ObjectNode mappings = MappingInference.mappings(DocumentJson.documentSchema(valueSchema));
    if (mappings == null) {
      return;
    }
    try {
      putMappings(index, mappings);
    } catch (SearchServerException e) {
      if (e.isTransient()) {
        throw e;
      }
      if (e.isForbidden()) {
        log.warn(
            "Index {} keeps its mappings: the sink's user may not update them ({}). Without the"
                + " manage privilege on the index, new columns are mapped dynamically",
            index,
            e.type());
        return;
      }
      log.warn(
          "Index {} keeps the mappings of its existing fields: the server refused those inferred"
              + " from a changed schema ({}: {}). A column whose type changed needs a new index"
              + " (re-sync into it); records whose values do not fit are reported as malformed",
          index,
          e.type(),
          e.reason());
      addNewFields(index, mappings);
    }
  }

  /** Adds the inferred mappings of the fields the index does not map yet, if any. */
  private void addNewFields(String index, ObjectNode mappings) throws IOException {
    ObjectNode properties = (ObjectNode) mappings.get("properties");
    properties.remove(mappedFields(index));
    if (properties.isEmpty()) {
      return;
    }
    try {
      putMappings(index, mappings);
    } catch (SearchServerException e) {
      if (e.isTransient()) {
        throw e;
      }
      List<String> fields = new ArrayList<>();
      properties.fieldNames().forEachRemaining(fields::add);
      log.warn(
          "Index {} did not take the mappings of its new fields {} either ({}: {}): they are"
              + " mapped dynamically",
          index,
          fields,
          e.type(),
          e.reason());
    }
  }

  private void putMappings(String index, ObjectNode mappings) throws IOException {
    client.send("PUT", mappingPath(index), mappings);
  }

  /** The top-level fields the index maps (of its concrete index when the name is an alias). */
  private Set<String> mappedFields(String index) throws IOException {
    Set<String> fields = new HashSet<>();
    mappings(index).path("properties").fieldNames().forEachRemaining(fields::add);
    return fields;
  }

  /** What the task knows of an index: the table it holds, and the schemas already mapped. */
  private record KnownIndex(String owner, SeenSchemas schemas) {}
}
