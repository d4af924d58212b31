package io.pgsearch.connect.devstack;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random passwords for the dev stack's users: distinct per run and recorded by {@link Secrets}, so
 * a leak scan can find them.
 */
final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  /** A random password of URL-safe characters with a recognisable prefix. */
  static String random(String prefix) {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Secrets.remember(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }
}
