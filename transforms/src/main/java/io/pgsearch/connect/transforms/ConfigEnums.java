package io.pgsearch.connect.transforms;

import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Config values naming an enum constant: lower case in configs, parsed with {@link Locale#ROOT}.
 */
final class ConfigEnums {
  private ConfigEnums() {}

  /** The constant's name as written in a config. */
  static String value(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** Parses a config value, case-insensitively; the message lists the valid values. */
  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    if (value != null) {
      String wanted = value.trim().toLowerCase(Locale.ROOT);
      for (E constant : type.getEnumConstants()) {
        if (value(constant).equals(wanted)) {
          return constant;
        }
      }
    }
    throw new IllegalArgumentException("must be one of " + names(type));
  }

  /** A validator accepting exactly the constants of {@code type}. */
  static <E extends Enum<E>> ConfigDef.Validator validator(Class<E> type) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        try {
          parse(type, (String) value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }

      @Override
      public String toString() {
        return names(type);
      }
    };
  }

  private static String names(Class<? extends Enum<?>> type) {
    return String.join(
        ", ", Arrays.stream(type.getEnumConstants()).map(ConfigEnums::value).toList());
  }
}
