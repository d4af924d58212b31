#!/usr/bin/env bash
# The run command: builds what is needed, then starts the Docker-free dev stack (PostgreSQL with the
# sample shop, Kafka, a Connect worker with the connector archives on plugin.path, Elasticsearch or
# OpenSearch),
# registers connect-configs/examples/pg-source-documents.json (pg-source.json with the example
# document of orders) and es-sink.json, and runs until Ctrl-C or SIGTERM.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: ./dev-stack.sh [--search SERVER] [--pg 16|17] [--workdir DIR] [--no-build]

  --search SERVER elasticsearch-8 (default), elasticsearch-9, opensearch-2 or opensearch-3;
                  elasticsearch-9 and opensearch-3 need a JDK 21 or newer
  --es 8|9        the same as --search elasticsearch-8 or elasticsearch-9
  --pg 16|17      PostgreSQL major version (default 17)
  --workdir DIR   where the components keep their files and logs (default target/dev-stack-run;
                  emptied at start); endpoints.json is written there once the stack
                  is ready and has printed its endpoints: scripts can wait for it
  --no-build      skip ./mvnw install -DskipTests (the archives must have been built)

Stops everything on Ctrl-C or SIGTERM.
USAGE
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command_name=dev-stack
# shellcheck source=scripts/common.sh
. "$root/scripts/common.sh"

build=true
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    -h | --help) usage; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

refuse_root
find_java

cd "$root"
if [ "$build" = true ]; then
  echo "Building the connectors and the dev stack (./mvnw install -DskipTests; a first build downloads" \
    "dependencies and takes a few minutes)..."
  ./mvnw -q -B -ntp install -DskipTests || fail "the build failed (see above)."
fi
classpath_file="$root/dev-stack/target/runner.classpath"
[ -f "$classpath_file" ] || fail "$classpath_file is missing: run without --no-build" \
  "(or ./mvnw install -DskipTests first)."

# exec: Ctrl-C and SIGTERM reach the JVM itself, whose shutdown hook stops the stack.
# DEV_STACK_JAVA_OPTS: extra JVM options, e.g. -Dpgsearch.repo.local=<a Maven repository>.
# shellcheck disable=SC2086
exec "$java" -Xms128m -Xmx768m ${DEV_STACK_JAVA_OPTS:-} \
  -cp "$root/dev-stack/target/classes:$(cat "$classpath_file")" \
  io.pgsearch.connect.devstack.DevStackRunner --root "$root" ${args[@]+"${args[@]}"}
