/**
 * Kafka Connect source connector: PostgreSQL change capture on Debezium with search-ready defaults.
 */
package io.pgsearch.connect.source;
