package io.pgsearch.connect.sink.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pgsearch.connect.sink.metrics.CommitTimes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One write to Elasticsearch made from a record, with the positions of the records it stands for:
 * its own and those of older full writes of the same document it replaced before being sent.
 */
public final class SinkOperation {
  /** The kinds of write. */
  public enum Kind {
    /** Index the whole document (replaces any previous one). */
    INDEX,
    /** Delete the document. */
    DELETE,
    /** Merge the fields into the existing document (a partial after-image). */
    UPDATE,
    /** Merge the fields, creating the document when missing. */
    UPSERT;

    /** Whether this write alone decides the document, so an older queued write can be dropped. */
    boolean isFull() {
      return this == INDEX || this == DELETE;
    }
  }

  private static final byte[] DOC_START = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DOC_END = "}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AS_UPSERT_END =
      ",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8);
  private static final int VERSION_BYTES =
      ",\"version\":,\"version_type\":\"external_gte\"".length() + 19;

  private final Kind kind;
  private final DocKey key;
  private final byte[] body;
  private final Long version;
  private final SinkRecord record;
  private final List<OffsetTracker.Entry> entries = new ArrayList<>(1);
  private final RecordPosition position;
  private final Long changeCommitMs;
  private final long recordBytes;
  private int attempts;
  private long notBeforeNanos;
  private boolean alone;

  /**
   * A write for {@code record}, at {@code position}: the record's own, or for a write no record
   * stands for (a truncate's delete), the position of the record it is made for.
   */
  public SinkOperation(
      Kind kind,
      DocKey key,
      byte[] document,
      Long version,
      SinkRecord record,
      RecordPosition position) {
    this(
        kind,
        key,
        document,
        version,
        DetachedRecord.of(record),
        position,
        document == null ? 0 : document.length);
  }

  private SinkOperation(
      Kind kind,
      DocKey key,
      byte[] document,
      Long version,
      SinkRecord record,
      RecordPosition position,
      long recordBytes) {
    this.kind = kind;
    this.key = key;
    // Serialised once, by the mapper: to measure the operation, and to go into the bulk body.
    this.body = document;
    this.version = version;
    this.record = record;
    this.position = position;
    this.changeCommitMs = CommitTimes.streamedChangeMs(record);
    this.recordBytes = recordBytes;
  }

  /**
   * A delete that no record of its own stands for (made by a truncate for {@code record}): the
   * record it is made for is held once, by its own entry, not by each of its deletes.
   */
  public static SinkOperation derivedDelete(
      DocKey key, Long version, SinkRecord record, RecordPosition position) {
    return new SinkOperation(Kind.DELETE, key, null, version, record, position, 0);
  }

  private SinkOperation(SinkOperation original, DocKey key) {
    this.kind = original.kind;
    this.key = key;
    this.body = original.body;
    this.version = original.version;
    this.record = original.record;
    this.position = original.position;
    this.changeCommitMs = null; // the change is timed once, by its write to the live index
    this.recordBytes = 0; // the record is held once, by the original
  }

  /**
   * The same write of the same record to another index (a generation being rebuilt): tracked on its
   * own, so the record completes once both are applied.
   */
  public SinkOperation inIndex(String index) {
    return new SinkOperation(this, new DocKey(index, key.id()));
  }

  public Kind kind() {
    return kind;
  }

  public DocKey key() {
    return key;
  }

  public SinkRecord record() {
    return record;
  }

  public Long version() {
    return version;
  }

  /**
   * The operation's lines in a bulk body, to bound bulk requests by bytes and to size the body (ids
   * and index names counted as written unescaped): the action line's fixed part, its external
   * version (up to 19 digits with {@code "version"} and {@code "version_type":"external_gte"}), and
   * an update's wrapper around its document.
   */
  long sizeBytes() {
    long size =
        (body == null ? 0 : (long) body.length) + key.id().length() + key.index().length() + 64;
    if (version != null && kind.isFull()) {
      size += VERSION_BYTES;
    }
    if (kind == Kind.UPDATE || kind == Kind.UPSERT) {
      size += DOC_START.length + AS_UPSERT_END.length;
    }
    return size;
  }

  /**
   * The bytes this operation keeps on the heap, to bound a task's buffer: its document and, for the
   * operation of a record's own, the record's fields (see {@link DetachedRecord}), counted as the
   * document's size again: the document renders them.
   */
  long heldBytes() {
    return recordBytes + sizeBytes();
  }

  public RecordPosition position() {
    return position;
  }

  /**
   * The commit time (epoch ms) of the streamed row change this write applies, to measure its
   * latency; null when it is no such change or is timed elsewhere.
   */
  Long changeCommitMs() {
    return changeCommitMs;
  }

  void tracked(OffsetTracker.Entry entry) {
    entries.add(entry);
  }

  /**
   * Whether this full write, received after {@code earlier}, decides the document in its place: by
   * version when both have one (a replayed older version never wins), else by arrival.
   */
  boolean supersedes(SinkOperation earlier) {
    return version == null || earlier.version == null || version >= earlier.version;
  }

  /** Takes over the records of an operation that this one makes obsolete. */
  void absorb(SinkOperation older) {
    entries.addAll(older.entries);
  }

  /**
   * Whether every record this operation completes was revoked from the task ({@link
   * OffsetTracker.Entry#isRevoked}); a write no record stands for (a truncate's delete) never is.
   */
  boolean revoked() {
    if (entries.isEmpty()) {
      return false;
    }
    for (OffsetTracker.Entry entry : entries) {
      if (!entry.isRevoked()) {
        return false;
      }
    }
    return true;
  }

  /** How many records complete when this operation does. */
  int recordCount() {
    return entries.size();
  }

  void markDone() {
    for (OffsetTracker.Entry entry : entries) {
      entry.markDone();
    }
  }

  int attempts() {
    return attempts;
  }

  void retryAfter(long nanoTime) {
    attempts++;
    notBeforeNanos = nanoTime;
  }

  /** From now on, sent in a bulk request of its own (its batch was too large for Elasticsearch). */
  void sendAlone() {
    alone = true;
  }

  boolean alone() {
    return alone;
  }

  boolean isReady(long nowNanos) {
    return notBeforeNanos <= nowNanos;
  }

  /**
   * Writes this operation's lines of a bulk body: the action ({@code index}, {@code delete} or
   * {@code update}, with the external version when there is one) and, but for a delete, its source.
   * {@code json} writes to {@code out}; both lines end with a newline.
   */
  void writeTo(JsonGenerator json, OutputStream out) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart(
        kind == Kind.INDEX ? "index" : kind == Kind.DELETE ? "delete" : "update");
    json.writeStringField("_index", key.index());
    json.writeStringField("_id", key.id());
    if (version != null && kind.isFull()) {
      json.writeNumberField("version", version);
      json.writeStringField("version_type", "external_gte");
    }
    json.writeEndObject();
    json.writeEndObject();
    json.flush();
    out.write('\n');
    switch (kind) {
      case INDEX -> out.write(body);
      case DELETE -> {
        return;
      }
      case UPDATE, UPSERT -> {
        out.write(DOC_START);
        out.write(body);
        out.write(kind == Kind.UPSERT ? AS_UPSERT_END : DOC_END);
      }
    }
    out.write('\n');
  }
}
