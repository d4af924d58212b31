package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.transforms.PgsearchHeaders;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** How records are batched, sent, retried and versioned. */
public final class WriteConfigs {
  public static final String GROUP = "Writes";

  public static final String BATCH_SIZE = "batch.size";
  public static final String BULK_SIZE_BYTES = "bulk.size.bytes";
  public static final String MAX_IN_FLIGHT_REQUESTS = "max.in.flight.requests";
  public static final String LINGER_MS = "linger.ms";
  public static final String MAX_BUFFERED_RECORDS = "max.buffered.records";
  public static final String MAX_BUFFERED_BYTES = "max.buffered.bytes";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
  public static final String WRITE_METHOD = "write.method";
  public static final String VERSION_HEADER = "version.header";

  private WriteConfigs() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            BATCH_SIZE,
            Type.INT,
            2_000,
            Range.between(1, 100_000),
            Importance.MEDIUM,
            "Most operations in one bulk request.",
            GROUP,
            ++order,
            Width.SHORT,
            "Batch size")
        .define(
            BULK_SIZE_BYTES,
            Type.LONG,
            5L * 1024 * 1024,
            Range.between(1_024L, 512L * 1024 * 1024),
            Importance.MEDIUM,
            "Most bytes of documents in one bulk request. A single larger document is sent alone.",
            GROUP,
            ++order,
            Width.SHORT,
            "Bulk size in bytes")
        .define(
            MAX_IN_FLIGHT_REQUESTS,
            Type.INT,
            5,
            Range.between(1, 1_000),
            Importance.MEDIUM,
            "Most bulk requests a task has waiting for the server at once. Two operations on the"
                + " same document are never in flight together, so order per document holds.",
            GROUP,
            ++order,
            Width.SHORT,
            "Max in-flight requests")
        .define(
            LINGER_MS,
            Type.LONG,
            5L,
            Range.between(0L, 60_000L),
            Importance.LOW,
            "Milliseconds to wait for more records before sending a bulk request that is not full."
                + " Such a request goes only while none of the task's requests is in flight: under"
                + " load the records that arrive meanwhile fill it.",
            GROUP,
            ++order,
            Width.SHORT,
            "Linger")
        .define(
            MAX_BUFFERED_RECORDS,
            Type.INT,
            6_000,
            Range.between(1, 10_000_000),
            Importance.LOW,
            "Most records a task holds (queued or in flight). Beyond it the task pauses its"
                + " partitions until the server catches up: backpressure, never a timeout failure."
                + " The default, three bulks of the default batch.size, keeps a node busy; records"
                + " held longer only wait, and cost the worker's collector CPU. Raise it with"
                + " batch.size, or for a cluster that takes more bulks at once.",
            GROUP,
            ++order,
            Width.SHORT,
            "Max buffered records")
        .define(
            MAX_BUFFERED_BYTES,
            Type.LONG,
            64L * 1024 * 1024,
            Range.between(1_024L, 64L * 1024 * 1024 * 1024),
            Importance.LOW,
            "Most bytes the records a task holds keep on the heap: each record's document, and the"
                + " record's converted fields, which the task keeps for the dead letter queue until"
                + " the record is applied, counted as the document's size again. Beyond it the task"
                + " pauses its partitions like beyond max.buffered.records, whichever comes first."
                + " Both are checked after each put, whose records are all taken: one poll's"
                + " records can go beyond them. With a compressed topic a fetch carries many more"
                + " records per byte: this bounds the heap they take.",
            GROUP,
            ++order,
            Width.SHORT,
            "Max buffered bytes")
        .define(
            MAX_RETRIES,
            Type.INT,
            -1,
            Range.atLeast(-1),
            Importance.LOW,
            "Retries of an operation that failed for a transient reason (429, 503, circuit breaker,"
                + " unavailable shards, connection errors, timeouts) before the task fails. -1, the"
                + " default, retries for as long as the connector runs: lag rather than loss.",
            GROUP,
            ++order,
            Width.SHORT,
            "Max retries")
        .define(
            RETRY_BACKOFF_MS,
            Type.LONG,
            100L,
            Range.between(1L, 3_600_000L),
            Importance.LOW,
            "Milliseconds before the first retry; each further retry waits up to twice as long"
                + " (with random jitter), capped by retry.backoff.max.ms.",
            GROUP,
            ++order,
            Width.SHORT,
            "Retry backoff")
        .define(
            RETRY_BACKOFF_MAX_MS,
            Type.LONG,
            10_000L,
            Range.between(1L, 3_600_000L),
            Importance.LOW,
            "Longest wait between two retries, in milliseconds.",
            GROUP,
            ++order,
            Width.SHORT,
            "Max retry backoff")
        .define(
            WRITE_METHOD,
            Type.STRING,
            WriteMethod.INSERT.toString(),
            WriteMethod.VALIDATOR,
            Importance.LOW,
            "insert indexes whole documents (versioned by version.header); upsert updates documents"
                + " with the record's fields, creating missing ones. The server cannot version"
                + " updates, so upsert requires an empty version.header.",
            GROUP,
            ++order,
            Width.SHORT,
            "Write method")
        .define(
            VERSION_HEADER,
            Type.STRING,
            PgsearchHeaders.LSN,
            Importance.MEDIUM,
            "Record header holding the source position of the change (a number that grows along a"
                + " row's history, such as the PostgreSQL LSN the transforms set). When a record"
                + " has it, its index or delete uses it as an external version (version_type"
                + " external_gte), so a replay, a re-snapshot or a late retry never overwrites"
                + " newer data; such a rejected write is counted as a version conflict and skipped."
                + " Empty turns versioning off.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Version header");
  }
}
