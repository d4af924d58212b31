package io.pgsearch.connect.sink.bulk;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends one bulk request asynchronously: the Elasticsearch client, or a fake in unit tests. */
@FunctionalInterface
public interface BulkTransport {
  CompletableFuture<BulkResponse> send(List<BulkOperation> operations);
}
