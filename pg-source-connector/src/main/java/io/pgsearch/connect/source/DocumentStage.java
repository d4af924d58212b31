package io.pgsearch.connect.source;

import io.debezium.connector.AbstractSourceInfo;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.data.Envelope;
import io.pgsearch.connect.source.DocumentRelations.Outcome;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns the row changes of a poll into the documents they change: for each document definition, the
 * roots every change touches (through the foreign keys in PostgreSQL), rebuilt from the database
 * and written to {@code <prefix>.<root schema>.<name>} as change events of their own, so the
 * transforms and the sink treat them as rows: versioned by the triggering change's LSN, deleted
 * when the root is gone or outside its filter.
 *
 * <p>A document is rebuilt from PostgreSQL's current state, at least as new as the change that
 * triggered it, and carries that change's position: any later change of its rows has a greater one,
 * so the newest version always holds the newest state and a replay never overwrites it. The
 * documents of a poll precede its records and carry the offset of the record before them: a crash
 * before they are all written replays the poll, nothing is lost.
 */
final class DocumentStage implements AutoCloseable {
  /** Task config prefix of the definitions, {@code pgsearch.task.document.<name>}. */
  static final String TASK_PREFIX = "pgsearch.task.document.";

  private final DocumentRows rows;
  private final List<Document> documents;
  private final String topicPrefix;

  /** The most documents one poll writes; the rest wait for the next polls. */
  static final int PER_POLL = DocumentBuilder.BATCH;

  /**
   * The most roots of a poll's changes read at once and deduplicated; the rest are read a page at a
   * time when their turn comes.
   */
  static final int EAGER = 20 * DocumentBuilder.BATCH;

  private Map<String, ?> lastOffset;
  private final Deque<Work> work = new ArrayDeque<>();
  private List<SourceRecord> held = List.of();
  private List<SourceRecord> unprocessed;
  private Map<String, ?> heldOffset;
  private final List<SourceRecord> truncates = new ArrayList<>();

  private record Document(
      String name, Resolved root, DocumentBuilder builder, DocumentChanges changes) {}

  /** The offset committed for a source partition, as the task started from it (null if none). */
  private final Function<Map<String, ?>, Map<String, ?>> committed;

  private DocumentStage(
      DocumentRows rows,
      List<Document> documents,
      String topicPrefix,
      Function<Map<String, ?>, Map<String, ?>> committed) {
    this.committed = committed;
    this.rows = rows;
    this.documents = documents;
    this.topicPrefix = topicPrefix;
  }

  /** The definitions in a task's config, by name. */
  static Map<String, String> definitions(Map<String, String> taskConfig) {
    Map<String, String> definitions = new LinkedHashMap<>();
    taskConfig.forEach(
        (key, value) -> {
          if (key.startsWith(TASK_PREFIX)) {
            definitions.put(key.substring(TASK_PREFIX.length()), value);
          }
        });
    return definitions;
  }

  /** A stage for the definitions, or null when there are none. */
  static DocumentStage start(
      Map<String, String> definitions,
      PostgresConnectorConfig debezium,
      List<String> schemas,
      String topicPrefix,
      Function<Map<String, ?>, Map<String, ?>> committed) {
    if (definitions.isEmpty()) {
      return null;
    }
    DocumentRows rows = new DocumentRows(debezium);
    try {
      List<Document> documents = new ArrayList<>();
      for (Map.Entry<String, String> entry : definitions.entrySet()) {
        Resolved root = resolve(rows, schemas, entry.getKey(), entry.getValue());
        documents.add(
            new Document(
                entry.getKey(),
                root,
                new DocumentBuilder(entry.getKey(), root, rows),
                new DocumentChanges(root, rows)));
      }
      return new DocumentStage(rows, documents, topicPrefix, committed);
    } catch (SQLException | DocumentDefinition.InvalidDefinition | RuntimeException e) {
      throw rows.closeAfter(e, "Starting the documents failed: ");
    }
  }

  /**
   * The definition {@code json} of document {@code name}, resolved against the catalog's tables of
   * {@code schemas}; a {@link ConnectException} names the document and every error.
   */
  static Resolved resolve(DocumentRows rows, List<String> schemas, String name, String json)
      throws SQLException, DocumentDefinition.InvalidDefinition {
    PostgresCatalog catalog = rows.catalog();
    Map<TableName, TableInfo> tables =
        catalog.tables(schemas).stream()
            .collect(Collectors.toMap(TableInfo::name, Function.identity()));
    Outcome outcome =
        DocumentRelations.resolve(
            DocumentDefinition.parse(name, json),
            tables,
            catalog.foreignKeys(schemas),
            catalog.uniqueKeys(schemas));
    if (!outcome.ok()) {
      throw new ConnectException("Document " + name + ": " + String.join("; ", outcome.errors()));
    }
    return outcome.root();
  }

  /**
   * The documents the records change, then the records: at most {@link #PER_POLL} documents per
   * call, the rest (and the records) held for {@link #drain}, so a change shared by many roots
   * never builds more than that at once.
   */
  List<SourceRecord> apply(List<SourceRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return records;
    }
    // Kept until their documents are found: a failing query must not lose the records Debezium
    // has handed over; the next poll starts them again.
    unprocessed = records;
    work.clear();
    Map<String, ?> before =
        lastOffset != null ? lastOffset : startOffset(committed, records.get(0));
    List<SourceRecord> out = new ArrayList<>();
    for (Document document : documents) {
      Work roots = new Work(document);
      truncates.clear();
      for (SourceRecord record : records) {
        collect(document, record, roots);
      }
      for (SourceRecord truncate : truncates) {
        out.add(SourceRecordCopy.of(truncate, before, truncate.headers()));
      }
      if (!roots.done()) {
        work.add(roots);
      }
    }
    lastOffset = records.get(records.size() - 1).sourceOffset();
    unprocessed = null;
    held = records;
    heldOffset = before;
    return drain(out);
  }

  /**
   * The offset the documents of the task's first poll carry: the one it started from. Never the
   * first record's own: a document acknowledged before that record would commit it, and a restart
   * then would resume after the record, which would never be written. Only when nothing was ever
   * committed (the initial snapshot, which a restart begins again) is it the first record's.
   */
  static Map<String, ?> startOffset(
      Function<Map<String, ?>, Map<String, ?>> committed, SourceRecord first) {
    Map<String, ?> offset = committed.apply(first.sourcePartition());
    return offset != null ? offset : first.sourceOffset();
  }

  /** Whether documents of an earlier poll, and its records, are still to be written. */
  boolean hasPending() {
    return unprocessed != null || !held.isEmpty();
  }

  /** The next documents held back, then, once they are all written, the poll's records. */
  List<SourceRecord> drain() throws SQLException {
    if (unprocessed != null) {
      return apply(unprocessed);
    }
    return drain(new ArrayList<>());
  }

  /**
   * Adds the next documents to {@code out}. A query failing after some were added returns those:
   * they are written, and the next poll goes on from the first document not built. Only when
   * nothing was added does the failure reach the task, which polls again.
   */
  private List<SourceRecord> drain(List<SourceRecord> out) throws SQLException {
    int budget = PER_POLL;
    try {
      while (!work.isEmpty() && budget > 0) {
        Work next = work.peek();
        budget -= next.emit(budget, heldOffset, out);
        if (next.done()) {
          work.poll();
        }
      }
    } catch (SQLException e) {
      if (out.isEmpty()) {
        throw e;
      }
      return out;
    }
    if (work.isEmpty()) {
      out.addAll(held);
      held = List.of();
    }
    return out;
  }

  /** The roots of one document a poll touches, built in turns. */
  private final class Work {
    private final Document document;
    private final RootQueue<SourceRecord> roots = new RootQueue<>(EAGER);

    Work(Document document) {
      this.document = document;
    }

    void add(RootPages pages, SourceRecord record) throws SQLException {
      roots.add(pages, record);
    }

    /** Emits up to {@code budget} documents; returns how many. */
    int emit(int budget, Map<String, ?> offset, List<SourceRecord> out) throws SQLException {
      int emitted = 0;
      while (emitted < budget) {
        List<RootQueue.Root<SourceRecord>> batch = roots.peek(budget - emitted);
        if (batch.isEmpty()) {
          break;
        }
        build(batch, offset, out);
        roots.taken(batch.size());
        emitted += batch.size();
      }
      return emitted;
    }

    /** Builds a batch of roots with one query per table. */
    private void build(
        List<RootQueue.Root<SourceRecord>> batch, Map<String, ?> offset, List<SourceRecord> out)
        throws SQLException {
      List<List<Object>> keys = batch.stream().map(RootQueue.Root::key).toList();
      Map<List<Object>, Struct> built = document.builder().build(keys);
      Schema envelope = envelopeSchema(document, batch.get(0).trigger());
      for (RootQueue.Root<SourceRecord> root : batch) {
        Struct value = built.get(DocumentBuilder.normalized(root.key()));
        out.add(record(document, envelope, root.trigger(), root.key(), value, offset));
      }
    }

    boolean done() {
      return roots.done();
    }
  }

  /** Adds the roots a record touches, each with the last record that touched it. */
  private void collect(Document document, SourceRecord record, Work roots) throws SQLException {
    if (!(record.value() instanceof Struct envelope)
        || record.valueSchema() == null
        || record.valueSchema().field(Envelope.FieldName.OPERATION) == null) {
      return;
    }
    String op = envelope.getString(Envelope.FieldName.OPERATION);
    TableName table = TableName.ofChangeEvent(envelope).orElse(null);
    if (table == null || !document.changes().concerns(table)) {
      return;
    }
    boolean root = table.equals(document.root().table().name());
    if ("r".equals(op) && !root) {
      return; // a snapshot read of a related row: its root's read rebuilds the document
    }
    if ("t".equals(op)) {
      if (root) {
        truncates.add(truncate(document, record));
      } else {
        roots.add(RootPages.keyset(after -> rows.rootKeys(document.root(), after)), record);
      }
      return;
    }
    Struct before = (Struct) envelope.getWithoutDefault(Envelope.FieldName.BEFORE);
    Struct after = (Struct) envelope.getWithoutDefault(Envelope.FieldName.AFTER);
    roots.add(document.changes().roots(table, before, after), record);
  }

  /**
   * A truncate of the root table empties the document index: the truncate itself, on the document's
   * topic, for the sink to delete every older document.
   */
  private SourceRecord truncate(Document document, SourceRecord trigger) {
    Struct envelope = (Struct) trigger.value();
    Schema schema = envelopeSchema(document, trigger);
    Struct value = new Struct(schema);
    value.put(Envelope.FieldName.SOURCE, renamedSource(document, envelope));
    value.put(Envelope.FieldName.OPERATION, "t");
    value.put(Envelope.FieldName.TIMESTAMP, System.currentTimeMillis());
    return new SourceRecord(
        trigger.sourcePartition(),
        trigger.sourceOffset(),
        topic(document),
        null,
        null,
        null,
        schema,
        value,
        null,
        new ConnectHeaders());
  }

  /** The triggering event's source block, naming the document as its table. */
  private static Struct renamedSource(Document document, Struct envelope) {
    Struct source = (Struct) envelope.getWithoutDefault(Envelope.FieldName.SOURCE);
    Struct copy = new Struct(source.schema());
    source.schema().fields().forEach(f -> copy.put(f, source.getWithoutDefault(f.name())));
    copy.put(AbstractSourceInfo.TABLE_NAME_KEY, document.name());
    return copy;
  }

  private String topic(Document document) {
    return topicPrefix + "." + document.root().table().name().schema() + "." + document.name();
  }

  private SourceRecord record(
      Document document,
      Schema envelopeSchema,
      SourceRecord trigger,
      List<Object> rawKey,
      Struct built,
      Map<String, ?> offset)
      throws SQLException {
    Struct triggerEnvelope = (Struct) trigger.value();
    Struct copy = renamedSource(document, triggerEnvelope);
    String triggerOp = triggerEnvelope.getString(Envelope.FieldName.OPERATION);
    String op = built == null ? "d" : "r".equals(triggerOp) ? "r" : "u";
    Struct envelope = new Struct(envelopeSchema);
    envelope.put(Envelope.FieldName.SOURCE, copy);
    envelope.put(Envelope.FieldName.OPERATION, op);
    envelope.put(Envelope.FieldName.TIMESTAMP, System.currentTimeMillis());
    if (built != null) {
      envelope.put(Envelope.FieldName.AFTER, built);
    }
    TableName table = document.root().table().name();
    Struct key = rows.key(table, rawKey);
    return new SourceRecord(
        trigger.sourcePartition(),
        offset,
        topic(document),
        null,
        rows.schema(table).keySchema(),
        key,
        envelopeSchema,
        envelope,
        null,
        new ConnectHeaders());
  }

  private Schema envelopeSchema(Document document, SourceRecord trigger) {
    Schema source = ((Struct) trigger.value()).schema().field(Envelope.FieldName.SOURCE).schema();
    Schema documentSchema = document.builder().schema();
    return SchemaBuilder.struct()
        .name(topic(document) + ".Envelope")
        .field(Envelope.FieldName.BEFORE, documentSchema)
        .field(Envelope.FieldName.AFTER, documentSchema)
        .field(Envelope.FieldName.SOURCE, source)
        .field(Envelope.FieldName.OPERATION, Schema.STRING_SCHEMA)
        .field(Envelope.FieldName.TIMESTAMP, Schema.OPTIONAL_INT64_SCHEMA)
        .build();
  }

  @Override
  public void close() throws SQLException {
    rows.close();
  }
}
