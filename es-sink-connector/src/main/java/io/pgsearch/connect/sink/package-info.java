/**
 * The Elasticsearch sink connector: {@link io.pgsearch.connect.sink.ElasticsearchSinkConnector}.
 * Subpackages by concern: {@code config} (keys, validation), {@code document} (ids, values, index
 * names), {@code bulk} (ordered asynchronous bulk writes, retries, offsets), {@code index} (index
 * creation and mapping inference), {@code transport} (the client, TLS), {@code metrics} (JMX).
 */
package io.pgsearch.connect.sink;
