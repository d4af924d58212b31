package io.pgsearch.connect.bench;

import io.pgsearch.connect.sink.document.DocumentJson;
import io.pgsearch.connect.sink.document.DocumentRenderer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.util.PGobject;

/**
 * What a user would write instead of the pipeline: one {@code SELECT} of the table with a fetch
 * size, each row rendered by the sink's own document code, bulk-indexed with the sink's batch
 * settings by the best client (bodies with a {@code Content-Length}). Reading and rendering run
 * inside the clock, on a thread of their own, while the sending threads index what is ready: the
 * baseline of the snapshot and streaming rates.
 */
final class Exporter {
  /** Rows per round trip of the cursor. */
  static final int FETCH_SIZE = 10_000;

  /** The end of the rows, for the sending threads (one per thread). */
  private static final List<BaselineBulk.Doc> END = List.of();

  private final BenchStack stack;

  Exporter(BenchStack stack) {
    this.stack = stack;
  }

  /**
   * Exports {@code table} of {@code database} into a fresh {@code index} created with {@code
   * indexBody}, with {@code threads} sending threads; timed by the {@link AppliedClock}. The index
   * is deleted afterwards.
   */
  AppliedClock.Run export(
      String database, String table, long rows, String index, String indexBody, int threads)
      throws Exception {
    stack.search.createIndex(index, indexBody);
    BlockingQueue<List<BaselineBulk.Doc>> ready = new ArrayBlockingQueue<>(threads * 2);
    Exception[] failed = {null};
    Thread reader =
        new Thread(
            () -> {
              try {
                read(database, table, ready);
              } catch (Exception e) {
                failed[0] = e;
              } finally {
                endOfRows(ready, threads);
              }
            },
            "exporter-reader");
    try (BaselineBulk client =
        new BaselineBulk(stack.elasticsearch.url(), BaselineBulk.Wire.CONTENT_LENGTH)) {
      Thread sender =
          new Thread(
              () -> {
                try {
                  client.index(
                      index,
                      () -> {
                        List<BaselineBulk.Doc> bulk = ready.take();
                        return bulk == END ? null : bulk;
                      },
                      threads);
                } catch (Exception e) {
                  failed[0] = e;
                }
              },
              "exporter-bulk");
      reader.start();
      sender.start();
      AppliedClock.Run run =
          stack.clock.await(
              index,
              rows,
              SinkBenchmark.STALL,
              () -> {
                if (failed[0] != null) {
                  throw new IllegalStateException("The exporter failed", failed[0]);
                }
              });
      reader.join();
      sender.join();
      SinkBenchmark.expectCount(stack, index, rows);
      return run;
    } finally {
      stack.search.deleteIndex(index);
    }
  }

  /** Reads the table with a cursor and queues its rows, rendered, in bulks as the sink's. */
  private void read(String database, String table, BlockingQueue<List<BaselineBulk.Doc>> ready)
      throws Exception {
    try (Connection connection = stack.postgres.connect(database);
        DocumentRenderer renderer = new DocumentRenderer()) {
      connection.setAutoCommit(false); // a cursor, so the driver fetches FETCH_SIZE rows at a time
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(FETCH_SIZE);
        try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData meta = rows.getMetaData();
          List<BaselineBulk.Doc> bulk = new ArrayList<>();
          long bytes = 0;
          while (rows.next()) {
            BaselineBulk.Doc doc = render(rows, meta, renderer);
            if (!bulk.isEmpty()
                && (bulk.size() >= SinkBenchmark.BULK_DOCS
                    || bytes + doc.body().length > SinkBenchmark.BULK_BYTES)) {
              put(ready, bulk);
              bulk = new ArrayList<>();
              bytes = 0;
            }
            bulk.add(doc);
            bytes += doc.body().length;
          }
          if (!bulk.isEmpty()) {
            put(ready, bulk);
          }
        }
      }
    }
  }

  /** One end marker per sending thread, each waiting for room as a bulk does. */
  private static void endOfRows(BlockingQueue<List<BaselineBulk.Doc>> ready, int threads) {
    try {
      for (int t = 0; t < threads; t++) {
        put(ready, END);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void put(BlockingQueue<List<BaselineBulk.Doc>> ready, List<BaselineBulk.Doc> bulk)
      throws InterruptedException {
    if (!ready.offer(bulk, SinkBenchmark.STALL.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "The exporter's senders took no bulk for " + SinkBenchmark.STALL);
    }
  }

  /**
   * A row as a schemaless document, rendered by the sink's code: the first column is the id;
   * numbers stay exact, timestamps become instants, {@code json}/{@code jsonb} is embedded. The
   * reading thread keeps one renderer, as a sink task does.
   */
  static BaselineBulk.Doc render(ResultSet row, ResultSetMetaData meta, DocumentRenderer renderer)
      throws Exception {
    Map<String, Object> document = new LinkedHashMap<>();
    for (int column = 1; column <= meta.getColumnCount(); column++) {
      document.put(meta.getColumnName(column), value(row.getObject(column)));
    }
    return new BaselineBulk.Doc(String.valueOf(row.getObject(1)), renderer.toBytes(null, document));
  }

  static Object value(Object jdbc) throws SQLException, java.io.IOException {
    if (jdbc instanceof PGobject object
        && ("json".equals(object.getType()) || "jsonb".equals(object.getType()))) {
      return object.getValue() == null
          ? null
          : DocumentJson.JSON.readValue(object.getValue(), Object.class);
    }
    return jdbc;
  }
}
