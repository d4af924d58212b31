#!/usr/bin/env bash
# The benchmark command: builds what is needed, then runs the benchmarks of issue #7 on the
# Docker-free dev stack (raw bulk and exporter baselines, sink, snapshot, streaming, freshness and
# pipeline latency, worker heap, CPU per process) and
# those of documents from related tables (#15: document snapshot against raw bulk of the same
# documents, child-change latency, a product rename in 10,000 orders),
# prints a table and writes docs/benchmarks.md and docs/benchmarks.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command_name=bench
# shellcheck source=scripts/common.sh
. "$root/scripts/common.sh"

build=true
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *) args+=("$arg") ;;
  esac
done

refuse_root
find_java

cd "$root"
case " ${args[*]-} " in
  *" -h "* | *" --help "*) build=false ;;
esac
if [ "$build" = true ]; then
  echo "Building the connectors, the dev stack and the benchmarks (./mvnw install -DskipTests)..."
  ./mvnw -q -B -ntp install -DskipTests || fail "the build failed (see above)."
fi
classpath_file="$root/benchmarks/target/bench.classpath"
[ -f "$classpath_file" ] || fail "$classpath_file is missing: run without --no-build" \
  "(or ./mvnw install -DskipTests first)."

# This checkout's own modules come first: the classpath file names the jars of the local Maven
# repository, which another checkout's build may have replaced.
own_classes="$root/benchmarks/target/classes:$root/dev-stack/target/classes"
own_classes="$own_classes:$root/es-sink-connector/target/classes:$root/transforms/target/classes"

# BENCH_JAVA_OPTS: extra JVM options, e.g. -Dpgsearch.repo.local=<a Maven repository>.
# The Kafka broker runs in this JVM, and the baseline holds every rendered document in memory.
# shellcheck disable=SC2086
exec "$java" -Xms512m -Xmx3g ${BENCH_JAVA_OPTS:-} \
  -cp "$own_classes:$(cat "$classpath_file")" \
  io.pgsearch.connect.bench.BenchmarkRunner --root "$root" ${args[@]+"${args[@]}"}
