package io.pgsearch.connect.source;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells permanent database errors, which no retry can cure, from transient ones, by SQLSTATE.
 *
 * <p>Debezium retries every {@link SQLException} and I/O error except authentication failures
 * (class 28). A dropped publication, a revoked privilege or an invalidated slot then loops forever
 * while the task reports RUNNING; these classes make the task fail with a message instead.
 * Connection loss (08), shutdowns and cancellations (57), lack of resources (53), a slot still held
 * by the previous walsender (55006), a lock (55P03) and anything without a SQLSTATE stay transient.
 */
final class SqlErrorClassifier {

  /** The permanent SQL error found in a cause chain, with what the user should check. */
  record Permanent(String sqlState, String serverMessage, String advice) {
    /** The whole message: SQLSTATE, PostgreSQL's own words, what to check. */
    String describe() {
      return "Permanent PostgreSQL error (SQLSTATE "
          + sqlState
          + "): "
          + serverMessage
          + ". "
          + advice
          + " Retrying cannot help, so the task fails; fix the cause, then restart the task.";
    }
  }

  /** The names a message refers to, so the advice can say exactly what to check. */
  record Names(String user, String database, String publication, String slot) {}

  private SqlErrorClassifier() {}

  /** Whether an error with this SQLSTATE would recur on every retry. */
  static boolean isPermanent(String sqlState) {
    if (sqlState == null || sqlState.length() != 5) {
      return false;
    }
    String errorClass = sqlState.substring(0, 2);
    return switch (errorClass) {
      case "28", "3D", "42", "0A", "22" -> true;
      // 55006 object in use: the slot is still held by a walsender that is going away.
      // 55P03 lock not available: another transaction holds it for now.
      case "55" -> !sqlState.equals("55006") && !sqlState.equals("55P03");
      default -> false;
    };
  }

  /**
   * Whether the chain holds a database error and none is permanent: a connection lost or refused
   * while PostgreSQL restarts, which Debezium reports as a plain {@code DebeziumException} when it
   * happens while its task starts.
   */
  static boolean isTransient(Throwable error) {
    boolean sql = false;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException exception) {
        if (isPermanent(exception.getSQLState())) {
          return false;
        }
        sql = true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return sql;
  }

  /** The first SQLException in the chain that carries a permanent SQLSTATE, if any. */
  static Optional<Permanent> permanentCause(Throwable error, Names names) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && isPermanent(sql.getSQLState())) {
        String state = sql.getSQLState();
        return Optional.of(new Permanent(state, serverMessage(sql), advice(state, names)));
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  static String advice(String sqlState, Names names) {
    String errorClass = sqlState.substring(0, 2);
    if (sqlState.equals("42501")) {
      return "Check the privileges of role "
          + names.user()
          + ": the REPLICATION attribute (or superuser), ownership of publication "
          + names.publication()
          + " and SELECT on the captured tables.";
    }
    if (sqlState.equals("42704")) {
      return "Check that publication "
          + names.publication()
          + " and replication slot "
          + names.slot()
          + " exist in database "
          + names.database()
          + ".";
    }
    return switch (errorClass) {
      case "28" ->
          "Check "
              + PostgresSourceConfig.USER
              + " ("
              + names.user()
              + "), "
              + PostgresSourceConfig.PASSWORD
              + ", pg_hba.conf and that the role may still log in.";
      case "3D" ->
          "Check that database "
              + names.database()
              + " ("
              + PostgresSourceConfig.DBNAME
              + ") still exists.";
      case "42" ->
          "Check that the captured tables, publication "
              + names.publication()
              + " and the privileges of role "
              + names.user()
              + " are as the connector set them up.";
      case "55" ->
          "Check replication slot "
              + names.slot()
              + " (pg_replication_slots: is it invalidated, e.g. by max_slot_wal_keep_size?) and"
              + " the server's wal_level.";
      case "0A" -> "The server does not support what the connector asked for: check its version.";
      case "22" -> "A value could not be read or converted: check the data and column types.";
      default -> "Check the PostgreSQL server log.";
    };
  }

  /** PostgreSQL's message without pgjdbc's "ERROR: " prefix and trailing detail lines. */
  private static String serverMessage(SQLException error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    String firstLine = message.strip().lines().findFirst().orElse(message).strip();
    for (String prefix : new String[] {"ERROR: ", "FATAL: "}) {
      if (firstLine.startsWith(prefix)) {
        return firstLine.substring(prefix.length());
      }
    }
    return firstLine;
  }
}
