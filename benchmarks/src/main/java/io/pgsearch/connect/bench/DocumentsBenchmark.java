package io.pgsearch.connect.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Measurements 7 to 9, documents from related tables (issue #15): connect-configs/examples/
 * pg-source-documents.json ({@code order_documents}: an order with its customer and its nested
 * items, each with its product) and connect-configs/es-sink.json, on a shop generated in SQL
 * ({@link ShopTables}).
 *
 * <ol>
 *   <li>7. The snapshot builds every order's document: docs/s from the source connector's creation
 *       until every order is counted, against raw bulk ingest of the very documents the pipeline
 *       indexed (read back from its index) with the baseline's client and bulk settings.
 *   <li>8. While streaming, child rows change at a steady rate (an item's quantity: one order; a
 *       customer's name: their orders); latency from each commit until every document it touches is
 *       searchable with the new value, found as the freshness measurement finds rows.
 *   <li>9. One product held by a tenth of the orders is renamed: time from the commit until the
 *       last of them is searchable with the new name, and the worker's peak heap meanwhile.
 * </ol>
 */
final class DocumentsBenchmark {
  static final String STAGE = "documents";
  static final String EXAMPLE = "examples/pg-source-documents.json";
  static final String DOCUMENT = "order_documents";

  /** The document topic; es-sink.json's index.name.template ${table} names its index. */
  static final String TOPIC = STAGE + ".public." + DOCUMENT;

  static final String INDEX = DOCUMENT;

  /** Child changes per second while streaming: item quantities, customer names. */
  static final int ITEM_CHANGES_PER_SECOND = 50;

  static final int CUSTOMER_CHANGES_PER_SECOND = 10;

  /** Item change k sets the quantity to this plus k: above every generated quantity. */
  static final long QUANTITY_BASE = 1_000_000;

  /** Customer change k sets the name to this plus k, zero-padded, so names sort as changes do. */
  static final String CUSTOMER_NAME = "Renamed customer ";

  static final String PRODUCT_NAME = "Renamed product";

  /** No progress for this long fails a wait; the snapshot counts the records of every topic. */
  static final Duration STALL = Duration.ofSeconds(90);

  /**
   * Between two searches for changed documents; each also samples the worker's heap over JMX, so it
   * is slower than the freshness poller's.
   */
  static final long POLL_MS = 100;

  static final long WRITE_TICK_MS = PipelineBenchmark.WRITE_TICK_MS;

  /**
   * Measurement 7: the pipeline's snapshot (docs/s, the first document counted after {@code
   * firstSeconds}) and raw bulk of its documents (docs/s with 1 and 2 client threads).
   */
  record Snapshot(
      long documents,
      long tableRecords,
      double firstSeconds,
      double pipelineRate,
      double[] rawRates) {
    double rawBest() {
      double best = 0;
      for (double rate : rawRates) {
        best = Math.max(best, rate);
      }
      return best;
    }
  }

  /** The pipeline's snapshot, and the documents it indexed with the index's body. */
  private record Built(
      double firstSeconds,
      double rate,
      long tableRecords,
      List<BaselineBulk.Doc> docs,
      String indexBody) {}

  /** Latencies of one kind of child change; null percentiles when none was seen. */
  record Changes(int changes, int documents, Percentiles latencyMs, int unseen) {}

  record Propagation(Changes items, Changes customers) {}

  record Rename(
      long orders,
      double seconds,
      double firstSeconds,
      long peakHeap,
      long peakAfterGc,
      int samples) {}

  record Results(ShopTables shop, Snapshot snapshot, Propagation propagation, Rename rename) {}

  private final BenchStack stack;
  private final BenchOptions options;
  private final PrintStream out;
  private final ShopTables shop;
  private String database;
  private String source;
  private String sink;

  DocumentsBenchmark(BenchStack stack, BenchOptions options, PrintStream out) {
    this.stack = stack;
    this.options = options;
    this.out = out;
    this.shop = ShopTables.of(options.orders());
  }

  /** The three measurements on one pipeline; the heap sampler's window is reset for the rename. */
  Results run(HeapSampler heap) throws Exception {
    database = stack.postgres.createDatabase(STAGE);
    out.printf(
        "Documents: a shop of %,d orders, %,d items, %,d customers, %,d products%n",
        shop.orders(), shop.items(), shop.customers(), shop.products());
    try (Connection connection = stack.postgres.connect(database)) {
      shop.create(connection);
    }
    Built built;
    Propagation propagation;
    Rename rename;
    try {
      built = snapshot();
      propagation = propagation();
      rename = rename(heap);
    } finally {
      if (source != null) {
        stack.delete(source);
      }
      if (sink != null) {
        stack.delete(sink);
      }
      stack.dropSlots(database);
      stack.search.deleteIndex(INDEX);
    }
    double[] raw = rawBulk(built);
    Snapshot snapshot =
        new Snapshot(shop.orders(), built.tableRecords(), built.firstSeconds(), built.rate(), raw);
    return new Results(shop, snapshot, propagation, rename);
  }

  /** Creates the example's source and the shipped sink; returns the nanoTime before the source. */
  private long start() {
    ObjectNode sourceBody =
        stack.config(
            EXAMPLE,
            database,
            body -> {
              body.put("name", "bench-" + STAGE + "-source");
              ((ObjectNode) body.path("config")).put("topic.prefix", STAGE);
            });
    if (!sourceBody.path("config").has("document." + DOCUMENT)) {
      throw new IllegalStateException(EXAMPLE + " defines no document." + DOCUMENT);
    }
    ObjectNode sinkBody =
        stack.config(
            "es-sink.json",
            database,
            body -> {
              body.put("name", "bench-" + STAGE + "-sink");
              // The documents only: the source also writes its tables' topics, which the
              // shipped regex would index too.
              ((ObjectNode) body.path("config")).put("topics.regex", TOPIC.replace(".", "\\."));
            });
    long start = stack.create(sourceBody);
    source = sourceBody.path("name").asText();
    stack.create(sinkBody);
    sink = sinkBody.path("name").asText();
    return start;
  }

  private void checkRunning() {
    stack.awaitRunning(source);
    stack.awaitRunning(sink);
  }

  /** The pipeline's snapshot of every order, and its documents as the index holds them. */
  private Built snapshot() throws Exception {
    out.printf(
        "Document snapshot: %,d orders through the example source and es-sink%n", shop.orders());
    long[] documents = {0};
    long[] first = {0};
    long tableRecords;
    long start;
    long end;
    try (KafkaConsumer<byte[], byte[]> consumer = SinkBenchmark.consumer(stack)) {
      start = start();
      // Progress: documents, or records in any of the source's topics (the tables read before
      // the orders build no document).
      end =
          stack.search.awaitNanos(
              () -> {
                checkRunning();
                documents[0] = stack.search.count(INDEX);
                if (documents[0] > 0 && first[0] == 0) {
                  first[0] = System.nanoTime();
                }
                return documents[0] >= shop.orders();
              },
              () -> documents[0] + records(consumer, topic -> topic.startsWith(STAGE + ".")),
              STALL);
      // Documents are built from the roots, which are snapshotted first: the related tables'
      // rows follow, and changes stream only once they are read. Measurement 8 starts after.
      long rows = shop.orders() + shop.items() + shop.customers() + shop.products();
      long[] tables = {0};
      long tablesEnd =
          stack.search.awaitNanos(
              () -> {
                checkRunning();
                tables[0] = records(consumer, DocumentsBenchmark::isTableTopic);
                return tables[0] >= rows;
              },
              () -> tables[0],
              STALL);
      out.printf(
          "  every table's snapshot read: %.1f s after the source's creation%n",
          SinkBenchmark.seconds(start, tablesEnd));
      tableRecords = tables[0];
    }
    if (documents[0] != shop.orders()) {
      throw new IllegalStateException(INDEX + " holds " + documents[0] + " documents");
    }
    double rate = shop.orders() / SinkBenchmark.seconds(start, end);
    out.printf("  document snapshot: %,.0f docs/s%n", rate);

    out.println("  reading the documents back from " + INDEX + " for raw bulk");
    List<BaselineBulk.Doc> docs = stack.search.documents(INDEX);
    if (docs.size() != shop.orders()) {
      throw new IllegalStateException("Read " + docs.size() + " documents from " + INDEX);
    }
    return new Built(
        SinkBenchmark.seconds(start, first[0]),
        rate,
        tableRecords,
        docs,
        stack.search.indexBody(INDEX));
  }

  /**
   * Raw bulk of the snapshot's documents with 1 and 2 client threads, after a warm-up on a fifth of
   * them; run once the pipeline and its index are gone, so that Elasticsearch holds nothing else
   * (as for the baseline of the rows, and as it held nothing else when the pipeline's snapshot
   * began).
   */
  private double[] rawBulk(Built built) throws Exception {
    out.printf("Documents raw bulk: the snapshot's %,d documents%n", built.docs().size());
    List<List<BaselineBulk.Doc>> bulks =
        BaselineBulk.bulks(built.docs(), SinkBenchmark.BULK_DOCS, SinkBenchmark.BULK_BYTES);
    out.println("  warming up on a fifth of them (not measured)");
    SinkBenchmark.rawBulk(
        stack,
        built.indexBody(),
        bulks.subList(0, Math.max(1, bulks.size() / 5)),
        2,
        BaselineBulk.Wire.CONTENT_LENGTH,
        "bench-documents-warmup");
    double[] raw = new double[2];
    for (int threads = 1; threads <= raw.length; threads++) {
      raw[threads - 1] =
          SinkBenchmark.rawBulk(
                  stack,
                  built.indexBody(),
                  bulks,
                  threads,
                  BaselineBulk.Wire.CONTENT_LENGTH,
                  "bench-documents-raw-" + threads)
              .rate();
      out.printf("  documents raw bulk, %d thread(s): %,.0f docs/s%n", threads, raw[threads - 1]);
    }
    return raw;
  }

  /** A topic of one of the source's tables (not the documents', not the signal table's). */
  static boolean isTableTopic(String topic) {
    return topic.startsWith(STAGE + ".public.")
        && !topic.equals(TOPIC)
        && !topic.startsWith(STAGE + ".public.pgsearch_");
  }

  /** Records in the topics {@code topics} accepts. */
  private static long records(KafkaConsumer<byte[], byte[]> consumer, Predicate<String> topics) {
    List<TopicPartition> partitions =
        consumer.listTopics(Duration.ofSeconds(10)).entrySet().stream()
            .filter(entry -> topics.test(entry.getKey()))
            .flatMap(entry -> entry.getValue().stream())
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Measurement 8: item quantities and customer names changed at a steady rate, each in its own
   * transaction; each change's latency runs from its commit until every order it touches is
   * returned by a search (without refresh) for the new value.
   */
  private Propagation propagation() throws Exception {
    int itemChanges =
        (int) Math.min(shop.orders(), (long) ITEM_CHANGES_PER_SECOND * options.seconds());
    int customerChanges =
        (int) Math.min(shop.customers(), (long) CUSTOMER_CHANGES_PER_SECOND * options.seconds());
    out.printf(
        "Child changes: %d item quantities/s and %d customer names/s for %d s%n",
        ITEM_CHANGES_PER_SECOND, CUSTOMER_CHANGES_PER_SECOND, options.seconds());
    stack.search.putSettings(INDEX, "{\"index\":{\"refresh_interval\":\"1s\"}}");

    // Change k of each kind touches its own order / customer, never one touched before.
    Map<Long, Integer> itemChangeOfOrder = new HashMap<>();
    long[] itemOrder = new long[itemChanges];
    for (int k = 0; k < itemChanges; k++) {
      itemOrder[k] = 1 + spread(k, shop.orders());
      itemChangeOfOrder.put(itemOrder[k], k);
    }
    Map<Long, Integer> customerChangeOf = new HashMap<>();
    long[] customer = new long[customerChanges];
    int[] customerOrders = new int[customerChanges];
    Map<Long, Integer> ordersOfCustomer = ordersPerCustomer();
    for (int k = 0; k < customerChanges; k++) {
      customer[k] = 1 + spread(k, shop.customers());
      customerChangeOf.put(customer[k], k);
      customerOrders[k] = ordersOfCustomer.getOrDefault(customer[k], 0);
      if (customerOrders[k] == 0) {
        throw new IllegalStateException("Customer " + customer[k] + " has no order");
      }
    }
    int[] one = new int[itemChanges];
    Arrays.fill(one, 1);
    ChangeTracker items = new ChangeTracker(one);
    ChangeTracker customers = new ChangeTracker(customerOrders);

    Poller poller =
        Poller.every(
            POLL_MS,
            () -> {
              long now = System.currentTimeMillis();
              for (JsonNode hit : hits(itemQuery(items.watermark()))) {
                Integer k = itemChangeOfOrder.get(Long.parseLong(hit.path("_id").asText()));
                if (k != null) {
                  items.seen(k, hit.path("_id").asText(), now);
                }
              }
              for (JsonNode hit : hits(customerQuery(customers.watermark()))) {
                Integer k =
                    customerChangeOf.get(hit.path("_source").path("customer").path("id").asLong());
                if (k != null) {
                  customers.seen(k, hit.path("_id").asText(), now);
                }
              }
            });
    Thread polling = new Thread(poller, "document-change-poller");
    polling.start();
    try (Connection connection = stack.postgres.connect(database);
        PreparedStatement item =
            connection.prepareStatement(
                "UPDATE order_items SET quantity = ? WHERE order_id = ? AND line_no = 1");
        PreparedStatement name =
            connection.prepareStatement("UPDATE customers SET full_name = ? WHERE id = ?")) {
      connection.setAutoCommit(true);
      int itemsWritten = 0;
      int customersWritten = 0;
      long start = System.nanoTime();
      while (itemsWritten < itemChanges || customersWritten < customerChanges) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        int itemsDue = (int) Math.min(itemChanges, Math.floor(ITEM_CHANGES_PER_SECOND * elapsed));
        int customersDue =
            (int) Math.min(customerChanges, Math.floor(CUSTOMER_CHANGES_PER_SECOND * elapsed));
        for (; itemsWritten < itemsDue; itemsWritten++) {
          item.setLong(1, QUANTITY_BASE + itemsWritten);
          item.setLong(2, itemOrder[itemsWritten]);
          expectOneRow(item.executeUpdate(), "order_items of order " + itemOrder[itemsWritten]);
          items.committed(itemsWritten, System.currentTimeMillis());
        }
        for (; customersWritten < customersDue; customersWritten++) {
          name.setString(1, customerName(customersWritten));
          name.setLong(2, customer[customersWritten]);
          expectOneRow(name.executeUpdate(), "customer " + customer[customersWritten]);
          customers.committed(customersWritten, System.currentTimeMillis());
        }
        Thread.sleep(WRITE_TICK_MS);
      }
      awaitProgress(
          () -> items.completeUpTo(itemChanges) && customers.completeUpTo(customerChanges),
          () -> items.watermark() + (long) customers.watermark());
    } finally {
      poller.stop();
      polling.join();
    }
    return new Propagation(
        changes(items, itemChanges, itemChanges),
        changes(customers, customerChanges, sum(customerOrders)));
  }

  private static int sum(int[] values) {
    int sum = 0;
    for (int value : values) {
      sum += value;
    }
    return sum;
  }

  private static Changes changes(ChangeTracker tracker, int count, int documents) {
    long[] latencies = tracker.latencies(count);
    return new Changes(
        count,
        documents,
        latencies.length == 0 ? null : Percentiles.of(latencies),
        tracker.incomplete(count));
  }

  /** Waits until {@code done}; gives up after {@link #STALL} without progress. */
  private void awaitProgress(BooleanSupplier done, LongSupplier progress)
      throws InterruptedException {
    long last = progress.getAsLong();
    long lastChange = System.nanoTime();
    while (!done.getAsBoolean()) {
      checkRunning();
      long now = System.nanoTime();
      long seen = progress.getAsLong();
      if (seen != last) {
        last = seen;
        lastChange = now;
      } else if (now - lastChange > STALL.toNanos()) {
        return; // what was not seen is reported as such
      }
      Thread.sleep(500);
    }
  }

  private static void expectOneRow(int updated, String what) {
    if (updated != 1) {
      throw new IllegalStateException("Updating " + what + " changed " + updated + " rows");
    }
  }

  private Map<Long, Integer> ordersPerCustomer() throws SQLException {
    Map<Long, Integer> orders = new HashMap<>();
    try (Connection connection = stack.postgres.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT customer_id, count(*) FROM orders GROUP BY 1")) {
      while (rows.next()) {
        orders.put(rows.getLong(1), rows.getInt(2));
      }
    }
    return orders;
  }

  /**
   * The {@code k}-th of {@code n} values 0..n-1 in a spread-out order that repeats none for {@code
   * k < n}: k times a prime stride that shares no factor with n, modulo n.
   */
  static long spread(long k, long n) {
    long stride = 7_919;
    while (gcd(stride, n) != 1) {
      stride += 2;
    }
    return Math.floorMod(k * stride, n);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** Customer change k's new name; zero-padded so that names sort as the changes do. */
  static String customerName(int change) {
    return String.format(Locale.ROOT, "%s%09d", CUSTOMER_NAME, change);
  }

  /** Orders with an item of quantity at least that of item change {@code from}. */
  static String itemQuery(int from) {
    return "{\"size\":10000,\"_source\":false,\"track_total_hits\":false,"
        + "\"query\":{\"nested\":{\"path\":\"items\",\"query\":{\"range\":"
        + "{\"items.quantity\":{\"gte\":"
        + (QUANTITY_BASE + from)
        + "}}}}}}";
  }

  /** Orders whose customer has a name of customer change {@code from} or later. */
  static String customerQuery(int from) {
    return "{\"size\":10000,\"_source\":[\"customer.id\"],\"track_total_hits\":false,"
        + "\"query\":{\"range\":{\"customer.full_name.keyword\":{\"gte\":\""
        + customerName(from)
        + "\",\"lt\":\""
        + CUSTOMER_NAME.strip()
        + "~\"}}}}";
  }

  private Iterable<JsonNode> hits(String query) {
    return stack.search.search(INDEX, query).path("hits").path("hits");
  }

  /**
   * Measurement 9: the product in a tenth of the orders renamed in one transaction; time from the
   * commit until a search (without refresh) counts every one of those orders with the new name, and
   * the worker's heap meanwhile.
   */
  private Rename rename(HeapSampler heap) throws Exception {
    long orders;
    try (Connection connection = stack.postgres.connect(database);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(DISTINCT order_id) FROM order_items WHERE product_id = "
                    + ShopTables.RENAMED_PRODUCT)) {
      rows.next();
      orders = rows.getLong(1);
    }
    out.printf("Product rename: product %d, in %,d orders%n", ShopTables.RENAMED_PRODUCT, orders);
    String query =
        "{\"query\":{\"nested\":{\"path\":\"items\",\"query\":{\"term\":"
            + "{\"items.product.name.keyword\":\""
            + PRODUCT_NAME
            + "\"}}}}}";
    long committed;
    heap.reset();
    try (Connection connection = stack.postgres.connect(database);
        PreparedStatement rename =
            connection.prepareStatement("UPDATE products SET name = ? WHERE id = ?")) {
      connection.setAutoCommit(true);
      rename.setString(1, PRODUCT_NAME);
      rename.setLong(2, ShopTables.RENAMED_PRODUCT);
      expectOneRow(rename.executeUpdate(), "product " + ShopTables.RENAMED_PRODUCT);
      committed = System.currentTimeMillis();
    }
    long first = 0;
    long seen = 0;
    long lastCount = -1;
    long lastChange = System.nanoTime();
    long lastCheck = 0;
    while (true) {
      heap.sample();
      long count = stack.search.countNow(INDEX, query);
      long now = System.currentTimeMillis();
      if (count > 0 && first == 0) {
        first = now;
      }
      if (count >= orders) {
        seen = now;
        break;
      }
      if (count != lastCount) {
        lastCount = count;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
        throw new IllegalStateException(
            "The rename stalled: " + count + " of " + orders + " orders searchable");
      }
      if (now - lastCheck > 1_000) {
        checkRunning();
        lastCheck = now;
      }
      Thread.sleep(POLL_MS);
    }
    double seconds = (seen - committed) / 1000.0;
    out.printf(
        "  rename: last of %,d orders searchable after %.1f s (first after %.1f s)%n",
        orders, seconds, (first - committed) / 1000.0);
    return new Rename(
        orders,
        seconds,
        (first - committed) / 1000.0,
        heap.peakUsed(),
        heap.peakAfterGc(),
        heap.samples());
  }
}
