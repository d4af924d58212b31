package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.sink.document.IndexNames;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Which index a record goes to, and how a missing index is created. */
public final class IndexConfigs {
  public static final String GROUP = "Indexes";

  public static final String NAME_TEMPLATE = "index.name.template";
  public static final String NAME_PREFIX = "index.name.prefix";
  public static final String NAME_SUFFIX = "index.name.suffix";
  public static final String TOPIC_INDEX_MAP = "topic.index.map";
  public static final String MAPPING_MODE = "index.mapping.mode";
  public static final String DEFINITION = "index.definition";
  public static final String DEFINITION_FILE = "index.definition.file";
  public static final String REBUILD_KEEP_PREVIOUS = "index.rebuild.keep.previous";

  private IndexConfigs() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            NAME_TEMPLATE,
            Type.STRING,
            "${topic}",
            TEMPLATE,
            Importance.MEDIUM,
            "Index name template with ${topic}, ${schema} and ${table}. Schema and table come from"
                + " the pgsearch.schema and pgsearch.table headers set by the transforms, else from a"
                + " topic named <prefix>.<schema>.<table>. The name is lower-cased and characters"
                + " the servers forbid become '_'.",
            GROUP,
            ++order,
            Width.MEDIUM,
            "Index name template")
        .define(
            NAME_PREFIX,
            Type.STRING,
            "",
            Importance.LOW,
            "Text put before every index name made from the template.",
            GROUP,
            ++order,
            Width.SHORT,
            "Index name prefix")
        .define(
            NAME_SUFFIX,
            Type.STRING,
            "",
            Importance.LOW,
            "Text put after every index name made from the template.",
            GROUP,
            ++order,
            Width.SHORT,
            "Index name suffix")
        .define(
            TOPIC_INDEX_MAP,
            Type.LIST,
            "",
            TOPIC_MAP,
            Importance.LOW,
            "Per-topic index names that override the template: topic:index pairs,"
                + " comma-separated, e.g. shop.public.orders:orders-v2.",
            GROUP,
            ++order,
            Width.LONG,
            "Topic to index map")
        .define(
            MAPPING_MODE,
            Type.STRING,
            MappingMode.INFER.toString(),
            MappingMode.VALIDATOR,
            Importance.MEDIUM,
            "How a missing index gets mappings when no index.definition is given: infer them from"
                + " the record's Connect schema (text with a keyword subfield for strings, the"
                + " matching integer or floating type for numbers, double with an 'exact' keyword"
                + " subfield for decimals (the document keeps every digit), date, boolean, object,"
                + " geo_point for lat/lon structs), or leave them to the server's dynamic"
                + " mapping. An existing index is used as it is.",
            GROUP,
            ++order,
            Width.SHORT,
            "Mapping mode")
        .define(
            DEFINITION,
            Type.STRING,
            "",
            Importance.LOW,
            "JSON body used to create a missing index: {\"settings\": ..., \"mappings\": ...}."
                + " Takes precedence over index.mapping.mode.",
            GROUP,
            ++order,
            Width.LONG,
            "Index definition")
        .define(
            DEFINITION_FILE,
            Type.STRING,
            "",
            Importance.LOW,
            "Path, on every Connect worker, of a file with the JSON index definition; an"
                + " alternative to index.definition.",
            GROUP,
            ++order,
            Width.LONG,
            "Index definition file")
        .define(
            REBUILD_KEEP_PREVIOUS,
            Type.BOOLEAN,
            false,
            Importance.LOW,
            "What happens to the previous generation of an index when a rebuild (the source"
                + " connector's pgsearch_<connector>_rebuild SQL function) swaps the index's alias to"
                + " the new one: false deletes it in the same atomic step; true keeps it, without"
                + " the alias and no longer written to, for a manual roll-back.",
            GROUP,
            ++order,
            Width.SHORT,
            "Keep the previous generation");
  }

  static final ConfigDef.Validator TEMPLATE =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          String template = (String) value;
          if (template == null || template.isBlank()) {
            throw new ConfigException(name, value, "must not be empty; the default is ${topic}");
          }
          if (!IndexNames.isValidTemplate(template)) {
            throw new ConfigException(
                name, value, "only ${topic}, ${schema} and ${table} can be used in the template");
          }
        }

        @Override
        public String toString() {
          return "text with ${topic}, ${schema}, ${table}";
        }
      };

  static final ConfigDef.Validator TOPIC_MAP =
      new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
          @SuppressWarnings("unchecked")
          List<String> entries = (List<String>) value;
          for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
              throw new ConfigException(name, entry, "each entry must be topic:index");
            }
            String index = entry.substring(colon + 1).trim();
            if (!IndexNames.isValidIndexName(index)) {
              throw new ConfigException(
                  name,
                  entry,
                  "'"
                      + index
                      + "' is not a valid index name: use lower case, without"
                      + " \\ / * ? \" < > | , # : or spaces, not starting with - _ +");
            }
          }
        }

        @Override
        public String toString() {
          return "topic:index,...";
        }
      };
}
