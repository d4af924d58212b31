package io.pgsearch.connect.sink;

import io.pgsearch.connect.sink.bulk.DocKey;
import io.pgsearch.connect.sink.bulk.RecordPosition;
import io.pgsearch.connect.sink.bulk.SinkOperation;
import io.pgsearch.connect.sink.config.BehaviorOnNullValues;
import io.pgsearch.connect.sink.config.DocumentConfigs;
import io.pgsearch.connect.sink.config.SinkConfig;
import io.pgsearch.connect.sink.config.WriteMethod;
import io.pgsearch.connect.sink.document.DocumentException;
import io.pgsearch.connect.sink.document.DocumentIds;
import io.pgsearch.connect.sink.document.DocumentRenderer;
import io.pgsearch.connect.sink.document.IndexNames;
import io.pgsearch.connect.transforms.PgsearchHeaders;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides what a record does to Elasticsearch: which index, which id, which write. One per task:
 * its renderer keeps buffers from record to record.
 */
final class RecordMapper implements AutoCloseable {

  private final IndexNames indexNames;
  private final boolean keyIgnore;
  private final BehaviorOnNullValues onNull;
  private final WriteMethod writeMethod;
  private final String versionHeader;
  private final DocumentRenderer renderer = new DocumentRenderer();

  /**
   * The headers of the record last asked about: the task asks several things of each record in a
   * row. A record's headers do not change once Connect has delivered it to the task.
   */
  private SinkRecord lastRecord;

  private RecordHeaders lastHeaders;

  RecordMapper(SinkConfig config) {
    this.indexNames =
        new IndexNames(
            config.indexNameTemplate(),
            config.indexNamePrefix(),
            config.indexNameSuffix(),
            config.topicIndexMap());
    this.keyIgnore = config.keyIgnore();
    this.onNull = config.behaviorOnNullValues();
    this.writeMethod = config.writeMethod();
    this.versionHeader = config.versionHeader();
  }

  /**
   * The write for a record, or null when the record is to be skipped. Throws {@link
   * DocumentException} for a record that can never be indexed.
   */
  SinkOperation map(SinkRecord record, RecordPosition position) {
    if (record.value() == null) {
      if (onNull == BehaviorOnNullValues.IGNORE || keyIgnore) {
        return null; // with key.ignore every record has its own id: there is nothing to delete
      }
      if (onNull == BehaviorOnNullValues.FAIL) {
        throw new ConnectException(
            "Record "
                + position
                + " has a null value and "
                + DocumentConfigs.BEHAVIOR_ON_NULL_VALUES
                + "=fail");
      }
      return new SinkOperation(
          SinkOperation.Kind.DELETE, key(record), null, version(record), record, position);
    }
    SinkOperation.Kind kind =
        isPartial(record)
            ? SinkOperation.Kind.UPDATE
            : writeMethod == WriteMethod.UPSERT
                ? SinkOperation.Kind.UPSERT
                : SinkOperation.Kind.INDEX;
    Long version = kind == SinkOperation.Kind.INDEX ? version(record) : null;
    return new SinkOperation(
        kind,
        key(record),
        renderer.toBytes(record.valueSchema(), record.value()),
        version,
        record,
        position);
  }

  /**
   * The table a record comes from, {@code <schema>.<table>} from the transforms' headers, when its
   * index is named by the template (where two tables can meet by accident); null when the headers
   * are missing or the topic's index is named in {@code topic.index.map} (on purpose).
   */
  String sourceTable(SinkRecord record) {
    RecordHeaders headers = headers(record);
    if (headers.schema() == null
        || headers.table() == null
        || indexNames.isOverridden(record.topic())) {
      return null;
    }
    return headers.schema() + "." + headers.table();
  }

  /** The index a record goes to. */
  String index(SinkRecord record) {
    RecordHeaders headers = headers(record);
    return indexNames.indexFor(record.topic(), headers.schema(), headers.table());
  }

  private DocKey key(SinkRecord record) {
    String id =
        keyIgnore
            ? DocumentIds.fromCoordinates(
                record.originalTopic(),
                record.originalKafkaPartition(),
                record.originalKafkaOffset())
            : DocumentIds.fromKey(record.key());
    return new DocKey(index(record), id);
  }

  private Long version(SinkRecord record) {
    if (versionHeader == null) {
      return null;
    }
    Object value = headers(record).version();
    if (value == null) {
      return null;
    }
    try {
      long version =
          value instanceof Number number
              ? number.longValue()
              : Long.parseLong(value.toString().trim());
      if (version < 0) {
        throw new NumberFormatException("negative");
      }
      return version;
    } catch (NumberFormatException e) {
      throw new DocumentException(
          "the header "
              + versionHeader
              + " is not a non-negative whole number, so it cannot be a version");
    }
  }

  /** Gives the renderer's buffers back. */
  @Override
  public void close() {
    renderer.close();
  }

  /** The id of the rebuild the record's table is in, or null. */
  String rebuildId(SinkRecord record) {
    return headers(record).rebuild();
  }

  /** Whether the record ends a rebuild (see {@link PgsearchHeaders#REBUILD_END_OP}). */
  boolean isRebuildEnd(SinkRecord record) {
    return PgsearchHeaders.REBUILD_END_OP.equals(headers(record).op());
  }

  /**
   * How many partitions a rebuild's end went to. Throws {@link DocumentException} when the record
   * does not say, or says something that is no positive count.
   */
  int rebuildPartitions(SinkRecord record) {
    String partitions = headers(record).rebuildPartitions();
    try {
      int count = partitions == null ? 0 : Integer.parseInt(partitions.strip());
      if (count > 0 && rebuildId(record) != null) {
        return count;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DocumentException(
        "a rebuild end needs the headers "
            + PgsearchHeaders.REBUILD
            + " and "
            + PgsearchHeaders.REBUILD_PARTITIONS
            + " (a positive count), so it is not applied");
  }

  /** Whether the record is a table's TRUNCATE (see {@link PgsearchHeaders#TRUNCATE_OP}). */
  boolean isTruncate(SinkRecord record) {
    return PgsearchHeaders.TRUNCATE_OP.equals(headers(record).op());
  }

  /**
   * The version of a truncate: the documents older than it go. Throws {@link DocumentException}
   * when the record carries none, since a truncate that cannot be ordered cannot be applied.
   */
  long truncateVersion(SinkRecord record) {
    Long version = version(record);
    if (version == null) {
      throw new DocumentException(
          "a TRUNCATE without the version header "
              + (versionHeader == null ? PgsearchHeaders.LSN : versionHeader)
              + " cannot be ordered against the table's rows, so it is not applied");
    }
    return version;
  }

  private boolean isPartial(SinkRecord record) {
    Object partial = headers(record).partial();
    return partial != null && Boolean.parseBoolean(partial.toString());
  }

  private RecordHeaders headers(SinkRecord record) {
    if (record != lastRecord) {
      lastHeaders = RecordHeaders.of(record, versionHeader);
      lastRecord = record;
    }
    return lastHeaders;
  }
}
