package io.pgsearch.connect.transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Envelope fields copied into the document, in the syntax of Debezium's {@code add.fields}: {@code
 * op}, {@code source.lsn}, {@code source.ts_ms:commit_ts} (after a colon: the new name). With a
 * schema, Debezium's ExtractNewRecordState adds them; this class does the same for schemaless
 * envelopes (JSON without schemas), which Debezium's transform does not handle.
 */
final class MetadataFields {
  private static final Pattern SPEC =
      Pattern.compile(
          "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?(:[A-Za-z_][A-Za-z0-9_]*)?");

  /** Debezium puts these unqualified names under {@code transaction}, the others at top level. */
  private static final List<String> TRANSACTION_FIELDS =
      List.of("id", "total_order", "data_collection_order");

  static final ConfigDef.Validator VALIDATOR =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          for (Object item : (List<?>) value) {
            if (!SPEC.matcher(item.toString().trim()).matches()) {
              throw new ConfigException(
                  name,
                  value,
                  "'"
                      + item
                      + "' is not a field reference: use field, struct.field or"
                      + " struct.field:new_name, e.g. source.lsn:lsn");
            }
          }
        }

        @Override
        public String toString() {
          return "list of field, struct.field or struct.field:new_name";
        }
      };

  private final Map<String, String[]> fields = new LinkedHashMap<>();

  MetadataFields(String prefix, List<String> specs) {
    for (String spec : specs) {
      String[] nameAndAlias = spec.trim().split(":");
      String[] path = nameAndAlias[0].split("\\.");
      String newName = nameAndAlias.length == 2 ? nameAndAlias[1] : String.join("_", path);
      if (path.length == 1 && TRANSACTION_FIELDS.contains(path[0])) {
        path = new String[] {"transaction", path[0]};
      }
      fields.put(prefix + newName, path);
    }
  }

  /** Adds the configured fields of a schemaless envelope to the document. */
  Map<String, Object> addTo(Map<String, Object> document, Map<?, ?> envelope) {
    if (fields.isEmpty()) {
      return document;
    }
    Map<String, Object> result = new LinkedHashMap<>(document);
    for (Map.Entry<String, String[]> field : fields.entrySet()) {
      Object value = envelope;
      for (String step : field.getValue()) {
        value = value instanceof Map<?, ?> map ? map.get(step) : null;
      }
      if (value != null) {
        result.put(field.getKey(), value);
      }
    }
    return result;
  }
}
