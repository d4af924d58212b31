package io.pgsearch.connect.sink.bulk;

/** A document's identity: at most one operation per key is in flight at any time. */
public record DocKey(String index, String id) {}
