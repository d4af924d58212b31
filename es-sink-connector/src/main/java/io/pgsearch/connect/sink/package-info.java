/**
 * Kafka Connect sink connector: bulk-indexes documents and deletes into Elasticsearch, in order,
 * losing nothing.
 */
package io.pgsearch.connect.sink;
