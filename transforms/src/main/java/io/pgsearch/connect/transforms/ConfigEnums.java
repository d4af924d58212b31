package io.pgsearch.connect.transforms;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one validator and parser of enum-valued settings, for every plugin of the project: values are
 * the enum's names in lower case, matched without regard to case ({@link Locale#ROOT}).
 */
public final class ConfigEnums {
  private ConfigEnums() {}

  /** The constant's name as written in a config. */
  public static String value(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** Parses the value of setting {@code key}; the error names the key and the valid values. */
  public static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
    if (value != null) {
      String wanted = value.trim().toLowerCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (value(constant).equals(wanted)) {
          return constant;
        }
      }
    }
    throw new ConfigException(key, value, "must be one of " + names(type));
  }

  /** A validator accepting exactly the constants of {@code type}. */
  public static <E extends Enum<E>> ConfigDef.Validator validator(Class<E> type) {
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

  /** The valid values, comma-separated. */
  public static <E extends Enum<E>> String names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ConfigEnums::value)
        .collect(Collectors.joining(", "));
  }
}
