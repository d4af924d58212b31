package io.pgsearch.connect.transforms;

import io.debezium.transforms.ExtractNewRecordState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Turns a Debezium change event into the row's document: the after-image for create, read and
 * update, a tombstone with the same key for delete, and the change's metadata as {@link
 * PgsearchHeaders}. Fields holding Debezium's unavailable-value placeholder (unchanged TOAST) are
 * dropped and the record is marked partial.
 *
 * <p>The envelope itself is unwrapped by Debezium's {@link ExtractNewRecordState}; this class adds
 * what it lacks: the headers contract, TOAST safety, schemaless envelopes and a policy for records
 * that are not row changes.
 */
public class ChangeEventToDocument<R extends ConnectRecord<R>>
    implements Transformation<R>, Versioned {

  public static final String OVERVIEW_DOC =
      "Turns a Debezium change event into a search document: create, read (snapshot) and update"
          + " events become the row's after-image, a delete becomes a tombstone with the same key."
          + " The headers pgsearch.lsn, pgsearch.op, pgsearch.schema, pgsearch.table and"
          + " pgsearch.commit.ts carry the change's metadata. Fields that hold Debezium's"
          + " unavailable-value placeholder (an unchanged TOAST column) are dropped and the header"
          + " pgsearch.partial=true asks the sink for a partial update, so the stored value is"
          + " kept. A TRUNCATE becomes a record without key and value whose header pgsearch.op=t"
          + " asks the sink to delete the table's documents older than it. When the source left values of a row too large for Kafka out (header"
          + " pgsearch.omitted), the field <metadata.fields.prefix>omitted lists those columns. Debezium's own tombstone after each delete is dropped by default: the delete"
          + " event already became a versioned tombstone, and an unversioned one could delete a"
          + " newer document when records are replayed.";

  public static final String METADATA_FIELDS_CONFIG = "metadata.fields";
  public static final String METADATA_FIELDS_PREFIX_CONFIG = "metadata.fields.prefix";
  public static final String PLACEHOLDER_CONFIG = "unavailable.value.placeholder";
  public static final String NON_CHANGE_EVENT_CONFIG = "behavior.on.non.change.event";
  public static final String DROP_TOMBSTONES_CONFIG = "drop.debezium.tombstones";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              METADATA_FIELDS_CONFIG,
              Type.LIST,
              List.of(),
              MetadataFields.VALIDATOR,
              Importance.MEDIUM,
              "Envelope fields to copy into the document, in the syntax of Debezium's add.fields:"
                  + " op, source.lsn, source.ts_ms:commit_ts (after the colon: the field's new"
                  + " name). Empty: none; the headers carry the metadata anyway.")
          .define(
              METADATA_FIELDS_PREFIX_CONFIG,
              Type.STRING,
              "__",
              Importance.LOW,
              "Prefix of the field names added by "
                  + METADATA_FIELDS_CONFIG
                  + ", and of the field omitted (the columns a row too large for Kafka left out).")
          .define(
              PLACEHOLDER_CONFIG,
              Type.STRING,
              UnavailableValues.DEBEZIUM_DEFAULT,
              new ConfigDef.NonEmptyString(),
              Importance.MEDIUM,
              "The value of Debezium's unavailable.value.placeholder: fields holding it (in any of"
                  + " the forms Debezium gives it: text, bytes, arrays, hstore) are dropped from"
                  + " the document and the record gets the header pgsearch.partial=true.")
          .define(
              NON_CHANGE_EVENT_CONFIG,
              Type.STRING,
              NonChangeEventHandling.PASS.value(),
              NonChangeEventHandling.VALIDATOR,
              Importance.MEDIUM,
              "What to do with a record that is not a Debezium row change or truncate (heartbeats,"
                  + " schema changes, message events, other topics): pass forwards it"
                  + " unchanged, fail stops the task with an error naming the topic, drop"
                  + " discards it.")
          .define(
              DROP_TOMBSTONES_CONFIG,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Whether a tombstone without the pgsearch.lsn header (the one Debezium sends after"
                  + " each delete event, with tombstones.on.delete=true) is dropped. The delete"
                  + " event itself becomes a tombstone with the headers, so nothing is lost; an"
                  + " unversioned delete, replayed, could remove a newer document. false passes"
                  + " such tombstones through.");

  private static final Set<String> ROW_OPERATIONS =
      Set.of("c", "r", "u", "d", PgsearchHeaders.TRUNCATE_OP);

  private final ExtractNewRecordState<R> unwrap = new ExtractNewRecordState<>();
  private MetadataFields metadataFields;
  private UnavailableValues unavailable;
  private OmittedValues omitted;
  private NonChangeEventHandling nonChangeEvents;
  private boolean dropDebeziumTombstones;

  @Override
  public void configure(Map<String, ?> props) {
    SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
    List<String> fields = config.getList(METADATA_FIELDS_CONFIG);
    String prefix = config.getString(METADATA_FIELDS_PREFIX_CONFIG);
    metadataFields = new MetadataFields(prefix, fields);
    unavailable = new UnavailableValues(config.getString(PLACEHOLDER_CONFIG));
    omitted = new OmittedValues(prefix);
    nonChangeEvents =
        NonChangeEventHandling.parse(
            NON_CHANGE_EVENT_CONFIG, config.getString(NON_CHANGE_EVENT_CONFIG));
    dropDebeziumTombstones = config.getBoolean(DROP_TOMBSTONES_CONFIG);

    Map<String, String> delegate = new HashMap<>();
    delegate.put("delete.tombstone.handling.mode", "delete-to-tombstone");
    delegate.put("add.fields", String.join(",", fields));
    delegate.put("add.fields.prefix", prefix);
    // A NULL column is null in the document, not the column's DEFAULT from the schema.
    delegate.put("replace.null.with.default", "false");
    try {
      unwrap.configure(delegate);
    } catch (RuntimeException e) {
      throw new ConfigException(
          METADATA_FIELDS_CONFIG, fields, "Debezium's ExtractNewRecordState rejected it: " + e);
    }
  }

  @Override
  public R apply(R record) {
    if (record.value() == null) {
      boolean ours = record.headers().lastWithName(PgsearchHeaders.LSN) != null;
      return dropDebeziumTombstones && !ours ? null : record;
    }
    if (record.valueSchema() == null) {
      return applySchemaless(record);
    }
    return applyWithSchema(record);
  }

  private R applySchemaless(R record) {
    if (!(record.value() instanceof Map<?, ?> envelope)
        || !envelope.containsKey("op")
        || !envelope.containsKey("after")) {
      return notAChangeEvent(record, "its schemaless value is not a Debezium envelope");
    }
    String op = String.valueOf(envelope.get("op"));
    if (!ROW_OPERATIONS.contains(op)) {
      return notAChangeEvent(record, "operation '" + op + "' is not a row change");
    }
    ChangeMetadata metadata =
        ChangeMetadata.of(op, envelope.get("source") instanceof Map<?, ?> s ? s : null)
            .inGenerationOf(record.headers());
    if (PgsearchHeaders.TRUNCATE_OP.equals(op)) {
      return truncate(record, metadata);
    }
    if ("d".equals(op)) {
      return tombstone(record, metadata);
    }
    if (!(envelope.get("after") instanceof Map<?, ?> after)) {
      return notAChangeEvent(record, "its 'after' is not an object");
    }
    Map<String, Object> document = new LinkedHashMap<>();
    after.forEach((k, v) -> document.put(String.valueOf(k), v));
    Map<String, Object> full = metadataFields.addTo(document, envelope);
    Map<String, Object> scrubbed = unavailable.dropFrom(full);
    List<String> left = OmittedValues.columns(record.headers());
    Map<String, Object> flagged = left == null ? scrubbed : omitted.flag(scrubbed, left);
    return withHeaders(record, null, flagged, metadata, scrubbed != full);
  }

  private R applyWithSchema(R record) {
    Schema schema = record.valueSchema();
    if (!(record.value() instanceof Struct envelope) || !isEnvelope(schema)) {
      return notAChangeEvent(
          record, "its value schema " + schema.name() + " is not a Debezium change event envelope");
    }
    String op = envelope.getString("op");
    if (!ROW_OPERATIONS.contains(op)) {
      return notAChangeEvent(record, "operation '" + op + "' is not a row change");
    }
    Struct source = schema.field("source") == null ? null : envelope.getStruct("source");
    ChangeMetadata metadata = ChangeMetadata.of(op, source).inGenerationOf(record.headers());
    if (PgsearchHeaders.TRUNCATE_OP.equals(op)) {
      return truncate(record, metadata);
    }
    if ("d".equals(op)) {
      return tombstone(record, metadata);
    }
    R unwrapped = unwrap.apply(record);
    if (unwrapped == null || !(unwrapped.value() instanceof Struct document)) {
      return notAChangeEvent(record, "its '" + op + "' event has no after-image");
    }
    Struct scrubbed = unavailable.dropFrom(document);
    List<String> left = OmittedValues.columns(record.headers());
    Struct flagged = left == null ? scrubbed : omitted.flag(scrubbed, left);
    return withHeaders(unwrapped, flagged.schema(), flagged, metadata, scrubbed != document);
  }

  private static boolean isEnvelope(Schema schema) {
    return schema.type() == Schema.Type.STRUCT
        && schema.name() != null
        && schema.name().endsWith(".Envelope")
        && schema.field("op") != null
        && schema.field("after") != null;
  }

  private R tombstone(R record, ChangeMetadata metadata) {
    return withHeaders(record, null, null, metadata, false);
  }

  /** A TRUNCATE concerns the whole table: no key, no value, only the headers. */
  private R truncate(R record, ChangeMetadata metadata) {
    return rebuilt(record, null, null, null, null, metadata, false);
  }

  private R withHeaders(
      R record, Schema valueSchema, Object value, ChangeMetadata metadata, boolean partial) {
    return rebuilt(record, record.keySchema(), record.key(), valueSchema, value, metadata, partial);
  }

  private R rebuilt(
      R record,
      Schema keySchema,
      Object key,
      Schema valueSchema,
      Object value,
      ChangeMetadata metadata,
      boolean partial) {
    Headers headers = record.headers().duplicate();
    metadata.writeTo(headers, partial);
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        keySchema,
        key,
        valueSchema,
        value,
        record.timestamp(),
        headers);
  }

  private R notAChangeEvent(R record, String reason) {
    switch (nonChangeEvents) {
      case PASS:
        return record;
      case DROP:
        return null;
      default:
        throw new DataException(
            getClass().getSimpleName()
                + " cannot turn the record "
                + describe(record)
                + " into a document: "
                + reason
                + ". Set "
                + NON_CHANGE_EVENT_CONFIG
                + "=pass to forward such records unchanged or =drop to discard them, or apply"
                + " this transform only to change event topics with a predicate.");
    }
  }

  private static String describe(ConnectRecord<?> record) {
    String where = "from topic '" + record.topic() + "' partition " + record.kafkaPartition();
    return record instanceof SinkRecord sink ? where + " offset " + sink.kafkaOffset() : where;
  }

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public String version() {
    return PluginVersion.of(ChangeEventToDocument.class, "transforms.properties");
  }

  @Override
  public void close() {
    unwrap.close();
  }
}
