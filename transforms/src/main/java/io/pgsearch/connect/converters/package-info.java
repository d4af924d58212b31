/**
 * Converters: {@link io.pgsearch.connect.converters.StreamingJsonConverter}, Kafka's JSON format
 * read and written without a JSON tree. It ships in both plugin archives, beside the transforms.
 */
package io.pgsearch.connect.converters;
