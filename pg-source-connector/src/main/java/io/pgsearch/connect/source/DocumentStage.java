package io.pgsearch.connect.source;

import io.debezium.connector.AbstractSourceInfo;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.data.Envelope;
import io.debezium.relational.TableSchema;
import io.pgsearch.connect.source.DocumentRelations.Outcome;
import io.pgsearch.connect.source.DocumentRelations.Resolved;
import io.pgsearch.connect.source.PostgresCatalog.TableInfo;
import java.sql.SQLException;
import java.util.ArrayList;
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
  private Map<String, ?> lastOffset;
  private final List<SourceRecord> truncates = new ArrayList<>();

  private record Document(
      String name,
      Resolved root,
      DocumentBuilder builder,
      DocumentChanges changes,
      TableSchema rootSchema) {}

  private DocumentStage(DocumentRows rows, List<Document> documents, String topicPrefix) {
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
      String topicPrefix) {
    if (definitions.isEmpty()) {
      return null;
    }
    DocumentRows rows = new DocumentRows(debezium);
    try {
      PostgresCatalog catalog = rows.catalog();
      Map<TableName, TableInfo> tables =
          catalog.tables(schemas).stream()
              .collect(Collectors.toMap(TableInfo::name, Function.identity()));
      var keys = catalog.foreignKeys(schemas);
      var unique = catalog.uniqueKeys(schemas);
      List<Document> documents = new ArrayList<>();
      for (Map.Entry<String, String> entry : definitions.entrySet()) {
        Outcome outcome =
            DocumentRelations.resolve(
                DocumentDefinition.parse(entry.getKey(), entry.getValue()), tables, keys, unique);
        if (!outcome.ok()) {
          throw new ConnectException(
              "Document " + entry.getKey() + ": " + String.join("; ", outcome.errors()));
        }
        Resolved root = outcome.root();
        documents.add(
            new Document(
                entry.getKey(),
                root,
                new DocumentBuilder(entry.getKey(), root, rows),
                new DocumentChanges(root, rows),
                rows.schema(root.table().name())));
      }
      return new DocumentStage(rows, documents, topicPrefix);
    } catch (SQLException | DocumentDefinition.InvalidDefinition | RuntimeException e) {
      try {
        rows.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof ConnectException connect) {
        throw connect;
      }
      throw new ConnectException("Starting the documents failed: " + e.getMessage(), e);
    }
  }

  /** The documents the records change, then the records. */
  List<SourceRecord> apply(List<SourceRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return records;
    }
    Map<String, ?> before = lastOffset != null ? lastOffset : records.get(0).sourceOffset();
    List<SourceRecord> out = new ArrayList<>();
    for (Document document : documents) {
      Map<List<Object>, SourceRecord> triggers = new LinkedHashMap<>();
      truncates.clear();
      for (SourceRecord record : records) {
        collect(document, record, triggers);
      }
      for (SourceRecord truncate : truncates) {
        out.add(SourceRecordCopy.of(truncate, before, truncate.headers()));
      }
      emit(document, triggers, before, out);
    }
    lastOffset = records.get(records.size() - 1).sourceOffset();
    out.addAll(records);
    return out;
  }

  /** Adds the roots a record touches, each with the last record that touched it. */
  private void collect(
      Document document, SourceRecord record, Map<List<Object>, SourceRecord> triggers)
      throws SQLException {
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
        allRoots(document, record, triggers);
      }
      return;
    }
    Struct before = (Struct) envelope.getWithoutDefault(Envelope.FieldName.BEFORE);
    Struct after = (Struct) envelope.getWithoutDefault(Envelope.FieldName.AFTER);
    document
        .changes()
        .roots(table, before, after, page -> page.forEach(key -> triggers.put(keyed(key), record)));
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

  /** A truncate of any table of the document: every root is rebuilt (or deleted). */
  private void allRoots(
      Document document, SourceRecord record, Map<List<Object>, SourceRecord> triggers)
      throws SQLException {
    for (List<Object> key : rows.allKeys(document.root())) {
      triggers.put(keyed(key), record);
    }
  }

  /** Raw key values with their normalized form, to merge the same root found twice. */
  private static List<Object> keyed(List<Object> raw) {
    List<Object> keyed = new ArrayList<>(2);
    keyed.add(DocumentBuilder.normalized(raw));
    keyed.add(raw);
    return keyed;
  }

  private void emit(
      Document document,
      Map<List<Object>, SourceRecord> triggers,
      Map<String, ?> offset,
      List<SourceRecord> out)
      throws SQLException {
    if (triggers.isEmpty()) {
      return;
    }
    Map<List<Object>, List<Object>> raw = new LinkedHashMap<>();
    Map<List<Object>, SourceRecord> byKey = new LinkedHashMap<>();
    triggers.forEach(
        (keyed, record) -> {
          @SuppressWarnings("unchecked")
          List<Object> normalized = (List<Object>) keyed.get(0);
          @SuppressWarnings("unchecked")
          List<Object> values = (List<Object>) keyed.get(1);
          raw.putIfAbsent(normalized, values);
          byKey.put(normalized, record);
        });
    Map<List<Object>, Struct> built = document.builder().build(new ArrayList<>(raw.values()));
    Schema envelope = envelopeSchema(document, byKey.values().iterator().next());
    for (Map.Entry<List<Object>, SourceRecord> entry : byKey.entrySet()) {
      Struct value = built.get(entry.getKey());
      out.add(record(document, envelope, entry.getValue(), raw.get(entry.getKey()), value, offset));
    }
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
    Struct key = rows.key(document.root().table().name(), document.rootSchema(), rawKey);
    return new SourceRecord(
        trigger.sourcePartition(),
        offset,
        topic(document),
        null,
        document.rootSchema().keySchema(),
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
