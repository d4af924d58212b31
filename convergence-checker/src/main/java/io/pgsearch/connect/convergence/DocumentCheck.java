package io.pgsearch.connect.convergence;

import java.util.Map;
import java.util.Objects;

/**
 * What to compare: a document of related tables, as a source connector's {@code document.<name>}
 * defines it, with the index its documents go to. Every root inside the definition's filter is
 * rebuilt from PostgreSQL's current state, as the connector builds it, and compared with its
 * document field by field.
 *
 * @param document the document's name ({@code order_documents} of {@code document.order_documents})
 * @param index the Elasticsearch index (or alias)
 * @param sourceConfig the source connector's config (the {@code config} object POSTed to Connect):
 *     its definition, connection and conversion settings
 * @param examples how many examples of each kind of difference the report names
 */
public record DocumentCheck(
    String document, String index, Map<String, String> sourceConfig, int examples) {

  public DocumentCheck {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(index, "index");
    sourceConfig = Map.copyOf(sourceConfig);
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be 0 or more, not " + examples);
    }
  }

  /** The document against the index of its name. */
  public static DocumentCheck of(String document, Map<String, String> sourceConfig) {
    return new DocumentCheck(document, document, sourceConfig, TableCheck.DEFAULT_EXAMPLES);
  }

  public DocumentCheck index(String name) {
    return new DocumentCheck(document, name, sourceConfig, examples);
  }

  public DocumentCheck examples(int count) {
    return new DocumentCheck(document, index, sourceConfig, count);
  }
}
