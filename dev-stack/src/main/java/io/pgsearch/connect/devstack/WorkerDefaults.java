package io.pgsearch.connect.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/** Worker properties every Connect worker of the dev stack has, in-process or in its own JVM. */
final class WorkerDefaults {
  private WorkerDefaults() {}

  static Map<String, String> common() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    // A NULL stays null: by default the converter puts the column's DEFAULT in its place.
    props.put("value.converter.replace.null.with.default", "false");
    props.put("offset.flush.interval.ms", "1000");
    // Secrets in connector configs are given as ${file:path:key} or ${env:NAME}, as in production:
    // Connect's REST API shows configs as submitted, so only a provider keeps a password out of it.
    props.put("config.providers", "file,env");
    props.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    props.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    return props;
  }
}
