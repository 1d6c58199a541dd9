#!/bin/bash
# Writes server.properties and starts the broker, as the apache/kafka image does:
# - with no KAFKA_* variable, a single-node KRaft broker on PLAINTEXT://:9092, advertised as
#   localhost:9092 (controller on 9093);
# - otherwise the file holds exactly the KAFKA_* variables: the prefix dropped, lower-cased, and
#   `_` read as `.`, `__` as `_`, `___` as `-` (KAFKA_ADVERTISED_LISTENERS → advertised.listeners).
# KAFKA_HEAP_OPTS, KAFKA_OPTS and the other launcher variables are JVM settings, not properties.
# CLUSTER_ID names the cluster the storage is formatted for (a fixed one when unset).
set -euo pipefail

config=/var/lib/kafka/server.properties
launcher_variables='^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS|GC_LOG_OPTS|JMX_OPTS|DEBUG|HEALTHCHECK_PORT)='

properties="$(env | grep '^KAFKA_' | grep -Ev "$launcher_variables" | sort || true)"

if [ -z "$properties" ]; then
  cat > "$config" <<'PROPERTIES'
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.quorum.voters=1@localhost:9093
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=1
PROPERTIES
else
  : > "$config"
  while IFS='=' read -r name value; do
    key="${name#KAFKA_}"
    key="${key//___/-}"
    key="${key//__/@}"
    key="${key//_/.}"
    key="${key//@/_}"
    printf '%s=%s\n' "${key,,}" "$value" >> "$config"
  done <<< "$properties"
  grep -q '^log\.dirs=' "$config" || echo 'log.dirs=/var/lib/kafka/data' >> "$config"
fi

classpath='/opt/kafka/libs/*'
java_options=(${KAFKA_HEAP_OPTS:-} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto} ${KAFKA_OPTS:-}
  -Dlog4j.configuration=file:/opt/kafka/log4j.properties -Djava.awt.headless=true)

default_cluster_id=5L6g3nShT-eMCtK--X86sw
# Storage formatted at image build time (the Dockerfile runs `entrypoint.sh format-at-build`) for
# node 1 of the default cluster: a start with those settings copies it instead of starting a
# second JVM just to format (seconds on a busy machine).
preformatted=/opt/kafka/preformatted
format() { # <log dir> <config>
  java "${java_options[@]}" -cp "$classpath" kafka.tools.StorageTool format --ignore-formatted \
    --config "$2" --cluster-id "${CLUSTER_ID:-$default_cluster_id}" >/dev/null
}
if [ "${1:-}" = format-at-build ]; then
  sed "s|^log\.dirs=.*|log.dirs=$preformatted|" "$config" > "$config.build"
  format "$preformatted" "$config.build"
  rm -f "$config" "$config.build"
  exit 0
fi

log_dirs="$(sed -n 's/^log\.dirs=//p' "$config" | head -n1)"
log_dir="${log_dirs%%,*}"
if [ ! -e "$log_dir/meta.properties" ]; then
  node_id="$(sed -n 's/^node\.id=//p' "$config" | head -n1)"
  if [ "$log_dirs" = "$log_dir" ] && [ "$node_id" = 1 ] && [ "${CLUSTER_ID:-$default_cluster_id}" = "$default_cluster_id" ] \
     && [ -e "$preformatted/meta.properties" ]; then
    mkdir -p "$log_dir" && cp -a "$preformatted/." "$log_dir/"
  else
    format "$log_dir" "$config"
  fi
fi
exec java "${java_options[@]}" -cp "$classpath" kafka.Kafka "$config"
