#!/bin/sh
# One-shot service of docker-compose.yml: waits for the Kafka Connect REST API, fills the
# {{PLACEHOLDERS}} of each connect-configs file named in CONNECTOR_CONFIGS from the environment,
# and POSTs it to /connectors. A connector that already exists (409) is left as it is.
set -eu

: "${CONNECT_URL:?}" "${CONNECTOR_CONFIGS:?}" "${CONFIG_DIR:=/connect-configs}"

echo "Waiting for Kafka Connect at $CONNECT_URL"
tries=0
until curl -fsS -o /dev/null "$CONNECT_URL/connectors"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then
    echo "Kafka Connect did not answer at $CONNECT_URL/connectors after 4 minutes" >&2
    exit 1
  fi
  sleep 2
done

for file in $CONNECTOR_CONFIGS; do
  body=$(cat "$CONFIG_DIR/$file")
  for name in $(printf '%s' "$body" | grep -o '{{[A-Z0-9_]*}}' | tr -d '{}' | sort -u); do
    value=$(printenv "$name" || true)
    if [ -z "$value" ]; then
      echo "$file: no value for {{$name}}: set the environment variable $name" >&2
      exit 1
    fi
    # Inside a JSON string: escape \ and ". Then for sed's replacement: \, & and the | delimiter.
    escaped=$(printf '%s' "$value" | sed -e 's/[\\"]/\\&/g' -e 's/[\\&|]/\\&/g')
    body=$(printf '%s' "$body" | sed -e "s|{{$name}}|$escaped|g")
  done
  status=$(printf '%s' "$body" | curl -sS -o /tmp/response -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data-binary @- "$CONNECT_URL/connectors")
  case "$status" in
    201) echo "$file: created" ;;
    409) echo "$file: already exists, left unchanged" ;;
    *)
      echo "$file: POST /connectors answered $status: $(cat /tmp/response)" >&2
      exit 1
      ;;
  esac
done
echo "Connectors: $(curl -fsS "$CONNECT_URL/connectors")"
