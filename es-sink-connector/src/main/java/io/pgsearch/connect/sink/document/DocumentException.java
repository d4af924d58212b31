package io.pgsearch.connect.sink.document;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record that cannot become an Elasticsearch document or id. It is handled by {@code
 * behavior.on.malformed.documents}, like a document Elasticsearch rejects; the message never
 * contains record contents.
 */
public class DocumentException extends DataException {
  private static final long serialVersionUID = 1L;

  public DocumentException(String message) {
    super(message);
  }
}
