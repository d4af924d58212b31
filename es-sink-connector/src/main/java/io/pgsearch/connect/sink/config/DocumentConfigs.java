package io.pgsearch.connect.sink.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** How records become documents, and what happens to records that cannot. */
public final class DocumentConfigs {
  public static final String GROUP = "Documents";

  public static final String KEY_IGNORE = "key.ignore";
  public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";
  public static final String BEHAVIOR_ON_MALFORMED_DOCUMENTS = "behavior.on.malformed.documents";
  public static final String LOG_SUMMARY_INTERVAL_MS = "log.summary.interval.ms";

  private DocumentConfigs() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            KEY_IGNORE,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "false: the document _id comes from the record key (a primitive as its value; a"
                + " Struct or Map key, such as a composite primary key, as its field values joined"
                + " by '|' with '\\' and '|' escaped). true: the _id is topic+partition+offset, so"
                + " every record is a new document and tombstones cannot delete.",
            GROUP,
            ++order,
            Width.SHORT,
            "Ignore key")
        .define(
            BEHAVIOR_ON_NULL_VALUES,
            Type.STRING,
            BehaviorOnNullValues.DELETE.toString(),
            BehaviorOnNullValues.VALIDATOR,
            Importance.MEDIUM,
            "What a record with a null value (a tombstone) does: delete the document with the"
                + " record's id (deleting a missing document succeeds), ignore it, or fail the task.",
            GROUP,
            ++order,
            Width.SHORT,
            "Behavior on null values")
        .define(
            BEHAVIOR_ON_MALFORMED_DOCUMENTS,
            Type.STRING,
            BehaviorOnMalformedDocuments.FAIL.toString(),
            BehaviorOnMalformedDocuments.VALIDATOR,
            Importance.MEDIUM,
            "What a record does that can never be indexed (a mapping conflict, a parse error, no"
                + " key, NaN). It always goes to the dead letter queue first when one is configured"
                + " (errors.tolerance=all and errors.deadletterqueue.topic.name), with the"
                + " server's error type and reason in its headers. Then: fail logs a warning"
                + " naming the record's topic, partition, offset and error type when it went to the"
                + " dead letter queue, and stops the task when there is none; warn logs the same"
                + " warning and goes on; ignore goes on silently. Reasons are never logged: they may"
                + " quote a value.",
            GROUP,
            ++order,
            Width.SHORT,
            "Behavior on malformed documents")
        .define(
            LOG_SUMMARY_INTERVAL_MS,
            Type.LONG,
            60_000L,
            ConfigDef.Range.atLeast(0L),
            Importance.LOW,
            "Milliseconds between INFO summaries of what a task wrote (indexed, deleted, failed,"
                + " retried, version conflicts); 0 turns them off.",
            GROUP,
            ++order,
            Width.SHORT,
            "Log summary interval");
  }
}
