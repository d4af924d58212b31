#!/usr/bin/env bash
# Compares a PostgreSQL table with its Elasticsearch index, row by row and field by field, and
# prints missing, extra and stale documents. Exit status: 0 converged, 1 differences, 2 error.
# Build first: ./mvnw install -pl convergence-checker -am -DskipTests
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$root/convergence-checker/target"
if [ ! -f "$module/cli.classpath" ] || [ ! -d "$module/classes" ]; then
  echo "check-convergence: build it first: ./mvnw install -pl convergence-checker -am -DskipTests" >&2
  exit 2
fi
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java)" || { echo "check-convergence: no Java found (JDK 17+)" >&2; exit 2; }
fi
exec "$java" -Xmx1g -cp "$module/classes:$(cat "$module/cli.classpath")" \
  io.pgsearch.connect.convergence.CheckConvergence "$@"
