package io.pgsearch.connect.sink.bulk;

import io.pgsearch.connect.sink.transport.BulkItem;
import io.pgsearch.connect.sink.transport.SearchClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one bulk request asynchronously and completes with one item per operation, in order: the
 * search server, or a fake in unit tests.
 */
@FunctionalInterface
public interface BulkTransport {
  CompletableFuture<List<BulkItem>> send(List<SinkOperation> operations);

  /** Sends through a search client, as one NDJSON body. */
  static BulkTransport of(SearchClient client) {
    return operations -> client.bulk(BulkBody.of(operations));
  }
}
