package io.pgsearch.connect.transforms;

/**
 * The Kafka record headers that {@link ChangeEventToDocument} writes and the Elasticsearch sink
 * reads, and those the sink adds to the records it sends to the dead letter queue. They are the
 * contract between the two plugins: see {@code docs/transforms.md}.
 */
public final class PgsearchHeaders {
  /**
   * INT64: the source position of the change, used by the sink as the external document version
   * ({@code version_type=external_gte}): {@code 2 * source.lsn} for snapshot rows, {@code 2 *
   * source.lsn + 1} for streamed changes, so that it strictly increases along one row's history,
   * snapshot included. Absent when Debezium gives no position.
   */
  public static final String LSN = "pgsearch.lsn";

  /**
   * STRING: the Debezium operation, {@code c}, {@code r}, {@code u}, {@code d}, or {@link
   * #TRUNCATE_OP}.
   */
  public static final String OP = "pgsearch.op";

  /**
   * The {@link #OP} of a table's TRUNCATE: a record without key and value whose {@link #LSN} is the
   * truncate's position. The sink deletes every document of the table's index older than it.
   */
  public static final String TRUNCATE_OP = "t";

  /**
   * STRING, written by the source connector: the id of the rebuild of the record's table while one
   * runs (its SQL function {@code pgsearch_<connector>_rebuild}), on every record of the table from
   * the rebuild's start to its end, and on the {@link #REBUILD_END_OP} records. Ids sort in the
   * order the rebuilds were asked for. The sink writes such records to the generation being built
   * as well as to the live one.
   */
  public static final String REBUILD = "pgsearch.rebuild";

  /**
   * The {@link #OP} of the record that ends a table's rebuild: without key and value, with {@link
   * #REBUILD}, {@link #REBUILD_PARTITIONS}, {@link #SCHEMA}, {@link #TABLE} and {@link #LSN}. The
   * source sends one to each partition of the table's topic after the last row of the rebuild; the
   * sink swaps the index's alias to the new generation once each partition's one is applied.
   */
  public static final String REBUILD_END_OP = "rebuild-end";

  /** INT32, on {@link #REBUILD_END_OP} records: how many partitions received one. */
  public static final String REBUILD_PARTITIONS = "pgsearch.rebuild.partitions";

  /**
   * INT64, written by the source connector only after the database was restored (see its {@code
   * Generations}): the number of PostgreSQL histories before the current one. It becomes the high
   * bits of {@link #LSN} ({@code generation << 56}), so a restored database, whose LSNs went back,
   * still writes versions above everything indexed before.
   */
  public static final String GENERATION = "pgsearch.generation";

  /** STRING: the PostgreSQL schema of the changed row. */
  public static final String SCHEMA = "pgsearch.schema";

  /** STRING: the PostgreSQL table of the changed row. */
  public static final String TABLE = "pgsearch.table";

  /** INT64: commit time of the change in epoch milliseconds (read time for snapshot rows). */
  public static final String COMMIT_TS = "pgsearch.commit.ts";

  /**
   * BOOLEAN, only written when true: fields whose value PostgreSQL did not send (unchanged TOAST)
   * were dropped, so the document is partial and must be merged into the stored one.
   */
  public static final String PARTIAL = "pgsearch.partial";

  /**
   * STRING, only written when values were left out: the columns (comma-separated) whose values the
   * source connector left out of a change too large for Kafka ({@code row.max.bytes}); the document
   * holds null (or the type's empty value) for them.
   */
  public static final String OMITTED = "pgsearch.omitted";

  /**
   * STRING, written by the Elasticsearch sink on a record it sends to the dead letter queue: the
   * error type Elasticsearch (or the sink) gave, e.g. {@code document_parsing_exception}.
   */
  public static final String ERROR_TYPE = "pgsearch.error.type";

  /**
   * STRING, written with {@link #ERROR_TYPE}: the reason, naming the field but never quoting a
   * value.
   */
  public static final String ERROR_REASON = "pgsearch.error.reason";

  private PgsearchHeaders() {}
}
