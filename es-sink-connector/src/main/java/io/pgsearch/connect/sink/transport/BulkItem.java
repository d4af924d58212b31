package io.pgsearch.connect.sink.transport;

/**
 * The result of one operation of a bulk request: its HTTP status, the document id, and the error's
 * type and reason when it failed (both null when it did not).
 */
public record BulkItem(int status, String id, String errorType, String errorReason) {}
