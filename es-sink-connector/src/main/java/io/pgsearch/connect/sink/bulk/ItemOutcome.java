package io.pgsearch.connect.sink.bulk;

import java.util.Set;

/** What a bulk item's result means for its operation. */
enum ItemOutcome {
  /** Applied (for a delete, also when the document did not exist). */
  APPLIED,
  /** The document holds a newer version: the write is stale and skipped. */
  VERSION_CONFLICT,
  /**
   * A partial update of a document the index does not hold. The event left columns out, so the
   * document cannot be built from it: reported (dead letter queue) with what to do, never skipped.
   */
  MISSING_DOCUMENT,
  /**
   * Elasticsearch refuses writes to the index until someone acts: missing privileges (401/403), a
   * closed index. Retried with a warning, like an outage: sending each record to the dead letter
   * queue would empty the pipeline into it.
   */
  REFUSED,
  /** Elasticsearch could not take it now (overload, outage): retried after a backoff. */
  TRANSIENT,
  /** The index disappeared: it is created again and the operation retried. */
  INDEX_MISSING,
  /** Elasticsearch will never take it (mapping conflict, parse error): reported. */
  PERMANENT;

  private static final Set<String> TRANSIENT_TYPES =
      Set.of(
          "es_rejected_execution_exception",
          // OpenSearch's name for the same rejection
          "rejected_execution_exception",
          "circuit_breaking_exception",
          "unavailable_shards_exception",
          "no_shard_available_action_exception",
          "node_not_connected_exception",
          "node_closed_exception",
          "node_disconnected_exception",
          "primary_missing_action_exception",
          "process_cluster_event_timeout_exception",
          "cluster_block_exception",
          "timeout_exception",
          "receive_timeout_transport_exception",
          "connect_transport_exception",
          "shard_not_found_exception");

  private static final Set<String> REFUSED_TYPES =
      Set.of("security_exception", "index_closed_exception", "authorization_exception");

  /** Classifies an item by its HTTP status and error type (null when it has no error). */
  static ItemOutcome classify(int status, String errorType, boolean isDelete) {
    if (errorType == null) {
      return status / 100 == 2 || (isDelete && status == 404) ? APPLIED : classifyStatus(status);
    }
    if ("version_conflict_engine_exception".equals(errorType)) {
      return VERSION_CONFLICT;
    }
    if ("document_missing_exception".equals(errorType)) {
      return MISSING_DOCUMENT;
    }
    if ("index_not_found_exception".equals(errorType)) {
      return INDEX_MISSING;
    }
    if (REFUSED_TYPES.contains(errorType) || status == 401 || status == 403) {
      return REFUSED;
    }
    if (TRANSIENT_TYPES.contains(errorType) || status == 429 || status >= 500) {
      return TRANSIENT;
    }
    return PERMANENT;
  }

  private static ItemOutcome classifyStatus(int status) {
    if (status == 401 || status == 403) {
      return REFUSED;
    }
    return status == 429 || status >= 500 ? TRANSIENT : PERMANENT;
  }
}
