# Shared by the commands at the repository root (./dev-stack.sh, ./bench.sh): sourced, not run.
# The sourcing script sets `command_name` first; messages start with it.

fail() {
  echo "$command_name: $*" >&2
  exit 1
}

# PostgreSQL and Elasticsearch refuse to run as root.
refuse_root() {
  if [ "$(id -u)" -eq 0 ]; then
    fail "PostgreSQL and Elasticsearch refuse to run as root: run ./$command_name.sh as an" \
      "ordinary user (e.g. sudo -u <user> ./$command_name.sh from a checkout that user owns)."
  fi
}

# Sets `java` to JAVA_HOME's java or the one on the PATH, and fails unless it is 17 or newer.
find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    java="$(command -v java)"
  else
    fail "no Java found: install a JDK 17 or newer, or set JAVA_HOME to one."
  fi
  local version feature
  version="$("$java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p')"
  feature="${version#1.}"
  feature="${feature%%.*}"
  if ! [[ "$feature" =~ ^[0-9]+$ ]] || [ "$feature" -lt 17 ]; then
    fail "$java is Java ${version:-of unknown version}; $command_name needs a JDK 17 or newer" \
      "(set JAVA_HOME to one)."
  fi
}
