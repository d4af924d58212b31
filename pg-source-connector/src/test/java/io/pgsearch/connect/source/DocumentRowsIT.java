package io.pgsearch.connect.source;

import static io.pgsearch.connect.source.SourceFixture.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.pgsearch.connect.devstack.ConnectCluster;
import io.pgsearch.connect.devstack.DevStackExtension;
import io.pgsearch.connect.devstack.PostgresNode;
import io.pgsearch.connect.transforms.TypeMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A related row, read by {@link DocumentRows}, has exactly the value its table's topic carries for
 * the same row: every type of the transforms' type matrix, snapshotted and streamed, and NULLs.
 */
@ExtendWith(DevStackExtension.class)
class DocumentRowsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void relatedRowsHaveTheValuesOfTheirTablesTopic(PostgresNode postgres, ConnectCluster connect)
      throws Exception {
    String db = postgres.createDatabase("document_rows");
    List<String> setup = new ArrayList<>(TypeMatrix.SETUP);
    setup.add(TypeMatrix.createTable());
    setup.add(TypeMatrix.insert(1));
    sql(postgres, db, setup.toArray(String[]::new));
    Map<String, String> config = SourceFixture.config(postgres, db, "dr");
    config.put("tables", "types");
    SourceFixture.start(connect, "document-rows", config);
    sql(postgres, db, TypeMatrix.insert(2), "INSERT INTO types (id) VALUES (3)");
    String topic = "dr.public.types";
    await()
        .atMost(SourceFixture.TIMEOUT)
        .until(() -> SourceFixture.changes(connect, topic).size() == 3);

    Map<String, String> debezium =
        DebeziumProperties.base(new PostgresSourceConfig(connectorConfig(config)));
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "false"), false);
    TableName types = new TableName("public", "types");
    try (DocumentRows rows =
        new DocumentRows(new PostgresConnectorConfig(Configuration.from(debezium)))) {
      List<DocumentRows.Row> read =
          rows.rows(types, "SELECT t.* FROM public.types t ORDER BY t.id", List.of());
      assertThat(read).hasSize(3);
      List<SourceFixture.Event> events = SourceFixture.changes(connect, topic);
      for (int i = 0; i < 3; i++) {
        JsonNode document =
            JSON.readTree(
                converter.fromConnectData(
                    topic, rows.schema(types).valueSchema(), read.get(i).value()));
        assertThat(document).as("row " + (i + 1)).isEqualTo(events.get(i).after());
      }
    }
    SourceFixture.stop(connect, "document-rows");
  }

  /** The connector's config as the task gets it: the connector's own name added. */
  private static Map<String, String> connectorConfig(Map<String, String> config) {
    Map<String, String> named = new java.util.LinkedHashMap<>(config);
    named.put("name", "document-rows");
    return named;
  }
}
