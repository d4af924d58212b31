/** Single message transforms that turn a Debezium row change into an Elasticsearch document. */
package io.pgsearch.connect.transforms;
