package io.pgsearch.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large values stored out of line (TOAST) are not sent by PostgreSQL when an update leaves them
 * unchanged (REPLICA IDENTITY DEFAULT); Debezium then emits a placeholder, in a different form per
 * type. The transformed update must carry none of them, keep every changed column and be marked
 * partial, so the sink merges it into the stored document and the large values survive.
 */
@ExtendWith(DevStackExtension.class)
class ToastIT {
  private static final String PLACEHOLDER = UnavailableValues.DEBEZIUM_DEFAULT;
  private static final List<String> TOASTED =
      List.of("big_text", "big_bytes", "big_json", "big_tags", "big_ints");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void anUpdateOfAnotherColumnNeverCarriesThePlaceholderAndIsPartial(
      PostgresNode postgres, ConnectCluster connect) throws Exception {
    String database = postgres.createDatabase("toast");
    String bigText = randomText(120 * 1024);
    byte[] bigBytes = new byte[40 * 1024];
    RANDOM.nextBytes(bigBytes);
    String bigJson = "{\"blob\": \"" + randomText(20 * 1024) + "\"}";
    String[] bigTags = new String[300];
    for (int i = 0; i < bigTags.length; i++) {
      bigTags[i] = randomText(40);
    }
    Integer[] bigInts = new Integer[5000];
    for (int i = 0; i < bigInts.length; i++) {
      bigInts[i] = RANDOM.nextInt();
    }
    try (Connection connection = postgres.connect(database)) {
      try (Statement sql = connection.createStatement()) {
        sql.execute(
            "CREATE TABLE docs (id int PRIMARY KEY, counter int, big_text text, big_bytes bytea,"
                + " big_json jsonb, big_tags text[], big_ints int[])");
        sql.execute("ALTER TABLE docs REPLICA IDENTITY DEFAULT");
      }
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO docs VALUES (1, 0, ?, ?, ?::jsonb, ?, ?)")) {
        Array tags = connection.createArrayOf("text", bigTags);
        Array ints = connection.createArrayOf("int4", bigInts);
        insert.setString(1, bigText);
        insert.setBytes(2, bigBytes);
        insert.setString(3, bigJson);
        insert.setArray(4, tags);
        insert.setArray(5, ints);
        insert.executeUpdate();
      }
    }

    DebeziumCapture capture =
        DebeziumCapture.start(connect, postgres, database, "toast", "docs", Map.of());
    try {
      try (Connection connection = postgres.connect(database);
          Statement sql = connection.createStatement()) {
        sql.execute("UPDATE docs SET counter = 1 WHERE id = 1");
        sql.execute("UPDATE docs SET counter = 2, big_text = 'small now' WHERE id = 1");
      }

      List<DebeziumCapture.Captured> records = capture.read("docs", 3);

      DebeziumCapture.Captured snapshot = records.get(0);
      assertThat(snapshot.headers().get(PgsearchHeaders.OP)).isEqualTo("r");
      assertThat(snapshot.document().path("big_text").asText()).isEqualTo(bigText);
      assertThat(snapshot.document().path("big_bytes").asText())
          .isEqualTo(Base64.getEncoder().encodeToString(bigBytes));
      assertThat(snapshot.document().path("big_ints")).hasSize(bigInts.length);
      assertThat(snapshot.headers()).doesNotContainKey(PgsearchHeaders.PARTIAL);

      DebeziumCapture.Captured counterOnly = records.get(1);
      assertThat(counterOnly.headers())
          .containsEntry(PgsearchHeaders.OP, "u")
          .containsEntry(PgsearchHeaders.PARTIAL, "true");
      JsonNode partial = counterOnly.document();
      assertThat(partial.path("counter").asInt()).isEqualTo(1);
      assertThat(partial.path("id").asInt()).isEqualTo(1);
      for (String field : TOASTED) {
        assertThat(partial.has(field)).as(field + " dropped from the partial document").isFalse();
      }
      assertThat(partial.toString()).doesNotContain(PLACEHOLDER);

      DebeziumCapture.Captured textChanged = records.get(2);
      assertThat(textChanged.document().path("big_text").asText()).isEqualTo("small now");
      assertThat(textChanged.document().path("counter").asInt()).isEqualTo(2);
      assertThat(textChanged.document().has("big_bytes")).isFalse();
      assertThat(textChanged.headers()).containsEntry(PgsearchHeaders.PARTIAL, "true");
    } finally {
      capture.stop();
    }
  }

  private static String randomText(int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
