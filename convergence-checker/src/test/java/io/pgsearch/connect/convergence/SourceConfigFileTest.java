package io.pgsearch.connect.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SourceConfigFileTest {
  @Test
  void readsTheConfigWithOrWithoutItsWrapper(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path wrapped = dir.resolve("wrapped.json");
    Files.writeString(
        wrapped,
        "{\"name\": \"pg-source\", \"config\": {\"topic.prefix\": \"shop\", \"tasks.max\": 1,"
            + " \"document.o\": \"{\\\"table\\\": \\\"public.orders\\\"}\"}}");
    assertThat(SourceConfigFile.read(wrapped))
        .containsEntry("topic.prefix", "shop")
        .containsEntry("tasks.max", "1")
        .containsEntry("document.o", "{\"table\": \"public.orders\"}")
        .doesNotContainKey("name");
    Path bare = dir.resolve("bare.json");
    Files.writeString(bare, "{\"topic.prefix\": \"shop\"}");
    assertThat(SourceConfigFile.read(bare))
        .containsExactly(java.util.Map.entry("topic.prefix", "shop"));
  }

  @Test
  void badFilesAreNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1]");
    assertThatThrownBy(() -> SourceConfigFile.read(array))
        .hasMessageContaining(array.toString())
        .hasMessageContaining("JSON object");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"a\":");
    assertThatThrownBy(() -> SourceConfigFile.read(broken))
        .hasMessageContaining("cannot read " + broken);
    assertThatThrownBy(() -> SourceConfigFile.read(dir.resolve("absent.json")))
        .hasMessageContaining("absent.json");
  }

  @Test
  void theJdbcUrlGivesHostPortAndDatabase() {
    assertThat(SourceConfigFile.connection("jdbc:postgresql://db.local:5433/shop?sslmode=require"))
        .containsEntry("database.hostname", "db.local")
        .containsEntry("database.port", "5433")
        .containsEntry("database.dbname", "shop");
    assertThat(SourceConfigFile.connection("jdbc:postgresql://db.local/shop"))
        .containsEntry("database.port", "5432");
    assertThatThrownBy(() -> SourceConfigFile.connection("jdbc:mysql://h/db"))
        .hasMessageContaining("jdbc:postgresql://host[:port]/database");
    assertThatThrownBy(() -> SourceConfigFile.connection("jdbc:postgresql://h/"))
        .hasMessageContaining("must name a host and a database");
  }
}
