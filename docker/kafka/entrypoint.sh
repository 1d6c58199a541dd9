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
# The classes a start loads, archived at image build time (`entrypoint.sh archive-classes-at-build`):
# mapped from the archive instead of read from the jars and verified, a start takes about 2 s
# instead of 3. The archive holds for these default JVM options; other ones start without it.
class_archive=/opt/kafka/cds/kafka.jsa
default_performance_options="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
[ -e "$class_archive" ] && default_performance_options+=" -XX:SharedArchiveFile=$class_archive"
java_options=(${KAFKA_HEAP_OPTS:-} ${KAFKA_JVM_PERFORMANCE_OPTS:-$default_performance_options} ${KAFKA_OPTS:-}
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

if [ "${1:-}" = archive-classes-at-build ]; then
  # One start of the broker on a copy of the preformatted storage, stopped once it is up; the
  # JVM writes the classes it loaded to the archive as it exits.
  training="$(mktemp -d)"
  cp -a "$preformatted/." "$training/"
  sed "s|^log\.dirs=.*|log.dirs=$training|" "$config" > "$training.properties"
  java "${java_options[@]}" -XX:ArchiveClassesAtExit="$class_archive" -cp "$classpath" kafka.Kafka "$training.properties" > "$training.log" 2>&1 &
  broker=$!
  for _ in $(seq 1200); do
    grep -q 'Kafka Server started' "$training.log" && break
    kill -0 "$broker" 2>/dev/null || { cat "$training.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q 'Kafka Server started' "$training.log" || { echo 'archive-classes-at-build: the broker did not start within 120 s' >&2; exit 1; }
  kill -TERM "$broker"
  wait "$broker" || true
  rm -rf "$training" "$training.properties" "$training.log" "$config"
  [ -s "$class_archive" ] || { echo 'archive-classes-at-build: the JVM wrote no class archive' >&2; exit 1; }
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
