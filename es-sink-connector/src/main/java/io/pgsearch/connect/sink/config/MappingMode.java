package io.pgsearch.connect.sink.config;

import io.pgsearch.connect.transforms.ConfigEnums;
import org.apache.kafka.common.config.ConfigDef;

/** How a missing index gets its mappings when no index definition is configured. */
public enum MappingMode {
  /** Mappings inferred from the record's Connect schema (dynamic for schemaless records). */
  INFER,
  /** No mappings: Elasticsearch's dynamic mapping decides. */
  DYNAMIC;

  public static final ConfigDef.Validator VALIDATOR = ConfigEnums.validator(MappingMode.class);

  public static MappingMode parse(String key, String value) {
    return ConfigEnums.parse(MappingMode.class, key, value);
  }

  @Override
  public String toString() {
    return ConfigEnums.value(this);
  }
}
