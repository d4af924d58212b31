package io.pgsearch.connect.sink.bulk;

/**
 * An operation Elasticsearch will never apply, waiting to be reported on the task's thread.
 *
 * @param errorType Elasticsearch's error type, e.g. {@code document_parsing_exception}
 * @param reason Elasticsearch's reason, cut before any preview of the document's values
 */
public record FailedOperation(SinkOperation operation, String errorType, String reason) {}
