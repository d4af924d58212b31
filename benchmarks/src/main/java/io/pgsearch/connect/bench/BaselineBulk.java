package io.pgsearch.connect.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * Raw bulk ingest: the documents, already rendered, sent straight to Elasticsearch in bulks as
 * large as the sink's ({@code batch.size}, {@code bulk.size.bytes}) by a number of client threads,
 * each with one bulk in flight, by either {@link Wire}.
 */
final class BaselineBulk implements AutoCloseable {
  /** A rendered document and its id. */
  record Doc(String id, byte[] body) {}

  /** How a bulk body goes over the wire: the server's CPU per document differs between them. */
  enum Wire {
    /** The low-level REST client with the NDJSON body as bytes: sent with a Content-Length. */
    CONTENT_LENGTH("low-level RestClient, body with Content-Length"),
    /** The official {@code elasticsearch-java} client, which streams the body chunked. */
    CHUNKED("elasticsearch-java 8.19, body sent chunked"),
    /**
     * As {@link #CONTENT_LENGTH}, each document with an external version ({@code external_gte}) as
     * the sink writes them: what versioning alone costs the server.
     */
    VERSIONED("low-level RestClient, body with Content-Length, external_gte versions");

    private final String description;

    Wire(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rising versions, as a stream of changes has. */
  private final java.util.concurrent.atomic.AtomicLong versions =
      new java.util.concurrent.atomic.AtomicLong();

  private final Wire wire;
  private final RestClient rest;
  private final ElasticsearchClient client;

  BaselineBulk(String url, Wire wire) {
    this.wire = wire;
    this.rest = RestClient.builder(HttpHost.create(url)).build();
    this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
  }

  /** Splits the documents into bulks of at most {@code maxDocs} documents and {@code maxBytes}. */
  static List<List<Doc>> bulks(List<Doc> docs, int maxDocs, long maxBytes) {
    List<List<Doc>> bulks = new ArrayList<>();
    List<Doc> current = new ArrayList<>();
    long bytes = 0;
    for (Doc doc : docs) {
      long size = doc.body().length;
      if (!current.isEmpty() && (current.size() >= maxDocs || bytes + size > maxBytes)) {
        bulks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(doc);
      bytes += size;
    }
    if (!current.isEmpty()) {
      bulks.add(current);
    }
    return bulks;
  }

  /**
   * Sends every bulk with {@code threads} threads; returns when all are acknowledged. Fails on any
   * rejected item: a baseline that lost documents would be no baseline.
   */
  void index(String index, List<List<Doc>> bulks, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    index(
        index,
        () -> {
          int i = next.getAndIncrement();
          return i < bulks.size() ? bulks.get(i) : null;
        },
        threads);
  }

  /**
   * Sends the bulks {@code nextBulk} hands out (thread-safe; null when there are no more) with
   * {@code threads} threads, one bulk in flight each; returns when all are acknowledged.
   */
  void index(String index, BulkSource nextBulk, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  List<Doc> bulk;
                  while ((bulk = nextBulk.next()) != null) {
                    send(index, bulk);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Hands out bulks to the sending threads. */
  @FunctionalInterface
  interface BulkSource {
    /** The next bulk, waiting for it if need be; null when there are no more. */
    List<Doc> next() throws Exception;
  }

  private void send(String index, List<Doc> bulk) throws Exception {
    if (wire != Wire.CHUNKED) {
      sendBytes(index, bulk, wire == Wire.VERSIONED);
      return;
    }
    List<BulkOperation> operations = new ArrayList<>(bulk.size());
    for (Doc doc : bulk) {
      operations.add(
          BulkOperation.of(
              b ->
                  b.index(
                      i ->
                          i.index(index)
                              .id(doc.id())
                              .document(BinaryData.of(doc.body(), "application/json")))));
    }
    BulkResponse response = client.bulk(b -> b.operations(operations));
    if (response.errors()) {
      String reason =
          response.items().stream()
              .filter(item -> item.error() != null)
              .map(item -> item.error().type() + ": " + item.error().reason())
              .findFirst()
              .orElse("unknown");
      throw new IllegalStateException("Elasticsearch rejected baseline documents: " + reason);
    }
  }

  /** The NDJSON body as one byte array: the client sends it with its Content-Length. */
  private void sendBytes(String index, List<Doc> bulk, boolean versioned) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Doc doc : bulk) {
      ObjectNode action = JSON.createObjectNode();
      ObjectNode target = action.putObject("index").put("_index", index).put("_id", doc.id());
      if (versioned) {
        target.put("version", versions.incrementAndGet()).put("version_type", "external_gte");
      }
      body.write(JSON.writeValueAsBytes(action));
      body.write('\n');
      body.write(doc.body());
      body.write('\n');
    }
    Request request = new Request("POST", "/_bulk");
    request.setEntity(
        new ByteArrayEntity(body.toByteArray(), ContentType.create("application/x-ndjson")));
    Response response = rest.performRequest(request);
    JsonNode result = JSON.readTree(response.getEntity().getContent());
    if (result.path("errors").asBoolean()) {
      for (JsonNode item : result.path("items")) {
        JsonNode error = item.path("index").path("error");
        if (!error.isMissingNode()) {
          throw new IllegalStateException(
              "Elasticsearch rejected baseline documents: "
                  + error.path("type").asText()
                  + ": "
                  + error.path("reason").asText());
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    rest.close();
  }
}
