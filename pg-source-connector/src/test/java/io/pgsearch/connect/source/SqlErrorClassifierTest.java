package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsearch.connect.source.SqlErrorClassifier.Names;
import io.pgsearch.connect.source.SqlErrorClassifier.Permanent;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class SqlErrorClassifierTest {
  private static final Names NAMES = new Names("capture", "shop", "pub_shop", "slot_shop");

  @ParameterizedTest(name = "{0} -> permanent={1}")
  @CsvSource({
    "28P01, true", // invalid password
    "28000, true", // invalid authorization specification
    "3D000, true", // database does not exist
    "42501, true", // insufficient privilege
    "42704, true", // undefined object: dropped publication
    "42P01, true", // undefined table
    "0A000, true", // feature not supported
    "22021, true", // character not in repertoire
    "55000, true", // object not in prerequisite state: invalidated slot
    "55P02, true", // cannot change runtime parameter
    "55006, false", // object in use: slot still held by the old walsender
    "55P03, false", // lock not available
    "08006, false", // connection failure
    "08001, false", // unable to connect
    "57P01, false", // admin shutdown
    "57P03, false", // cannot connect now (starting up)
    "57014, false", // query canceled
    "53300, false", // too many connections
    "53400, false", // configuration limit exceeded: no free slot
    "40001, false", // serialization failure
    "XX000, false", // internal error
    "4270, false", // malformed
  })
  void classifiesBySqlState(String sqlState, boolean permanent) {
    assertThat(SqlErrorClassifier.isPermanent(sqlState)).isEqualTo(permanent);
  }

  @ParameterizedTest
  @NullAndEmptySource
  void noSqlStateIsTransient(String sqlState) {
    assertThat(SqlErrorClassifier.isPermanent(sqlState)).isFalse();
  }

  @Test
  void findsThePermanentCauseDeepInTheChainAndNamesWhatToCheck() {
    PSQLException dropped =
        new PSQLException(
            "ERROR: publication \"pub_shop\" does not exist\n  Where: slot \"slot_shop\"",
            PSQLState.UNDEFINED_OBJECT);
    RetriableException error =
        new RetriableException(
            "An exception occurred in the change event producer.",
            new IllegalStateException("streaming", dropped));

    Optional<Permanent> permanent = SqlErrorClassifier.permanentCause(error, NAMES);

    assertThat(permanent).isPresent();
    assertThat(permanent.get().sqlState()).isEqualTo("42704");
    assertThat(permanent.get().serverMessage())
        .isEqualTo("publication \"pub_shop\" does not exist");
    assertThat(permanent.get().describe())
        .isEqualTo(
            "Permanent PostgreSQL error (SQLSTATE 42704): publication \"pub_shop\" does not exist."
                + " Check that publication pub_shop and replication slot slot_shop exist in database"
                + " shop. Retrying cannot help, so the task fails; fix the cause, then restart the"
                + " task.");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "42501|privileges of role capture: the REPLICATION attribute",
        "28P01|database.user (capture), database.password, pg_hba.conf",
        "3D000|database shop (database.dbname)",
        "42P01|publication pub_shop and the privileges of role capture",
        "55000|replication slot slot_shop",
        "0A000|does not support",
        "22P02|could not be read or converted",
      })
  void adviceNamesWhatToCheck(String sqlState, String expected) {
    assertThat(SqlErrorClassifier.advice(sqlState, NAMES)).contains(expected);
  }

  @Test
  void transientErrorsAndPlainIoHaveNoPermanentCause() {
    SQLException shutdown =
        new SQLException("FATAL: terminating connection due to administrator command", "57P01");
    assertThat(SqlErrorClassifier.permanentCause(new RetriableException("r", shutdown), NAMES))
        .isEmpty();
    assertThat(
            SqlErrorClassifier.permanentCause(
                new RetriableException("r", new IOException("Connection reset")), NAMES))
        .isEmpty();
    assertThat(
            SqlErrorClassifier.permanentCause(
                new RetriableException("r", new SQLException("no state")), NAMES))
        .isEmpty();
  }

  /** Seen in FaultToleranceIT: Debezium's task started while PostgreSQL was shutting down. */
  @Test
  void aConnectionFailureWrappedByDebeziumIsTransientAPermanentErrorOrNoSqlErrorIsNot() {
    SQLException refused =
        new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
    assertThat(
            SqlErrorClassifier.isTransient(
                new io.debezium.DebeziumException("Couldn't get timestamp utils", refused)))
        .isTrue();
    assertThat(
            SqlErrorClassifier.isTransient(
                new io.debezium.DebeziumException(
                    "x", new SQLException("database \"shop\" does not exist", "3D000"))))
        .as("3D000 is permanent: see above")
        .isFalse();
    assertThat(SqlErrorClassifier.isTransient(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void fatalPrefixIsStrippedFromTheServerMessage() {
    SQLException auth =
        new PSQLException(
            "FATAL: password authentication failed for user \"capture\"",
            PSQLState.INVALID_PASSWORD);
    assertThat(SqlErrorClassifier.permanentCause(auth, NAMES).orElseThrow().describe())
        .startsWith(
            "Permanent PostgreSQL error (SQLSTATE 28P01): password authentication failed for"
                + " user \"capture\". Check database.user (capture)");
  }
}
