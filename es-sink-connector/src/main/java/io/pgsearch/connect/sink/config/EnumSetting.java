package io.pgsearch.connect.sink.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one validator and parser of enum-valued settings: values are the enum's names in lower case,
 * matched without regard to case ({@link Locale#ROOT}).
 */
final class EnumSetting {
  private EnumSetting() {}

  static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
    if (value != null) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(value.trim())) {
          return constant;
        }
      }
    }
    throw new ConfigException(key, value, "must be one of " + names(type));
  }

  static <E extends Enum<E>> ConfigDef.Validator validator(Class<E> type) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        parse(type, name, (String) value);
      }

      @Override
      public String toString() {
        return names(type);
      }
    };
  }

  static <E extends Enum<E>> String names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(constant -> constant.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  static <E extends Enum<E>> String lower(E constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
