package io.pgsearch.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatientConnectTest {
  private static final SQLException SHUTTING_DOWN =
      new SQLException("FATAL: the database system is shutting down", "57P03");
  private static final SQLException REFUSED = new SQLException("Connection refused", "08001");
  private static final SQLException BAD_PASSWORD =
      new SQLException("password authentication failed", "28P01");

  private final List<Long> pauses = new ArrayList<>();
  private long now;

  private Connection open(Deque<Object> outcomes, Duration patience) throws SQLException {
    return PatientConnect.open(
        () -> {
          Object next = outcomes.removeFirst();
          if (next instanceof SQLException e) {
            throw e;
          }
          return (Connection) next;
        },
        patience,
        () -> now,
        millis -> {
          pauses.add(millis);
          now += millis * 1_000_000L;
        });
  }

  @Test
  void waitsOutARestartingServerWithGrowingPauses() throws SQLException {
    Connection connection =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> null);
    Deque<Object> outcomes =
        new ArrayDeque<>(List.of(SHUTTING_DOWN, REFUSED, REFUSED, REFUSED, REFUSED, connection));
    assertThat(open(outcomes, Duration.ofSeconds(60))).isSameAs(connection);
    assertThat(pauses).containsExactly(500L, 1_000L, 2_000L, 4_000L, 5_000L);
  }

  @Test
  void aPermanentFailureFailsAtOnce() {
    Deque<Object> outcomes = new ArrayDeque<>(List.of(BAD_PASSWORD));
    assertThatThrownBy(() -> open(outcomes, Duration.ofSeconds(60))).isSameAs(BAD_PASSWORD);
    assertThat(pauses).isEmpty();
  }

  @Test
  void givesUpWithTheLastFailureOncePatienceIsSpent() {
    Deque<Object> outcomes = new ArrayDeque<>();
    for (int i = 0; i < 100; i++) {
      outcomes.add(i % 2 == 0 ? SHUTTING_DOWN : REFUSED);
    }
    assertThatThrownBy(() -> open(outcomes, Duration.ofSeconds(10)))
        .isInstanceOf(SQLException.class);
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(10_000L);
    assertThat(pauses).isNotEmpty();
  }

  @Test
  void onlyConnectionClassesAndServerShutdownsAreTransient() {
    assertThat(PatientConnect.isTransient(SHUTTING_DOWN)).isTrue();
    assertThat(PatientConnect.isTransient(REFUSED)).isTrue();
    assertThat(PatientConnect.isTransient(new SQLException("x", "57P01"))).isTrue();
    assertThat(PatientConnect.isTransient(BAD_PASSWORD)).isFalse();
    assertThat(PatientConnect.isTransient(new SQLException("no db", "3D000"))).isFalse();
    assertThat(PatientConnect.isTransient(new SQLException("no state"))).isFalse();
  }
}
