package io.pgsearch.connect.sink.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestFailureLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void failuresAreLoggedAtMostOncePerInterval() {
    RequestFailureLog failures = new RequestFailureLog(30_000);
    int lines = 0;
    for (long tick = 0; tick < 6000; tick++) { // 100 failed requests a second for 60 s
      lines += failures.failed(200, "connection refused", tick * SECOND / 100) ? 1 : 0;
    }
    assertThat(lines).as("the first failure, then one line per 30 s").isEqualTo(2);
    assertThat(failures.failed(200, "connection refused", 61 * SECOND)).isTrue();
    assertThat(failures.failed(200, "connection refused", 62 * SECOND)).isFalse();
  }
}
