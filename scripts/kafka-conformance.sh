#!/usr/bin/env bash
# Runs the Kafka conformance suite (test/kafka/conformance) against a real Apache Kafka 3.9.1:
# the kafka image on the Docker engine when one answers and the image exists, otherwise the same
# jars (docker/kafka/jars.lock, from Maven Central) on this machine's JVM. It never falls back to
# the embedded broker: if neither can start, it fails and says what to install.
#
# Usage: scripts/kafka-conformance.sh [--engine auto|docker|jvm]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

engine=auto
case "${1:-}" in
  --engine) engine="${2:?--engine needs auto, docker or jvm}" ;;
  '') ;;
  *) echo "kafka-conformance: unknown option '$1'" >&2; exit 2 ;;
esac
image="${LAB_IMAGE_KAFKA:-$(sed -n 's/^LAB_IMAGE_KAFKA=//p' docker/images.env)}"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"

if [ "$engine" = auto ]; then
  if docker info >/dev/null 2>&1 && docker image inspect "$image" >/dev/null 2>&1; then engine=docker; else engine=jvm; fi
fi

stop=()
cleanup() { for command in "${stop[@]}"; do eval "$command" || true; done; }
trap cleanup EXIT

wait_for_log() { # <file or command> <what>
  for _ in $(seq 1 180); do
    if eval "$1" 2>/dev/null | grep -q 'Kafka Server started'; then return 0; fi
    sleep 1
  done
  echo "kafka-conformance: $2 did not start within 180 s; its log:" >&2
  eval "$1" 2>&1 | tail -40 >&2
  return 1
}

case "$engine" in
  docker)
    name="integration-lab-conformance-$$"
    docker run -d --rm --name "$name" --label org.testcontainers=true \
      -p "127.0.0.1:$port:9092" \
      -e KAFKA_NODE_ID=1 -e KAFKA_PROCESS_ROLES=broker,controller \
      -e KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093 \
      -e "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://127.0.0.1:$port" \
      -e KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER -e KAFKA_CONTROLLER_QUORUM_VOTERS=1@localhost:9093 \
      -e KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT \
      -e KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1 -e KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR=1 \
      -e KAFKA_TRANSACTION_STATE_LOG_MIN_ISR=1 -e KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS=0 \
      "$image" >/dev/null
    stop+=("docker rm -f $name >/dev/null")
    echo "kafka-conformance: Apache Kafka in a container ($image) on 127.0.0.1:$port"
    wait_for_log "docker logs $name" "the kafka container"
    ;;
  jvm)
    command -v java >/dev/null || { echo "kafka-conformance: no Docker engine with $image, and no java either: install docker.io (then scripts/build-images.sh) or a JRE (apt-get install default-jre-headless)" >&2; exit 1; }
    jars="${KAFKA_JARS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/integration-lab/kafka-jars}"
    sh docker/kafka/fetch-jars.sh "$jars" docker/kafka/jars.lock
    work="$(mktemp -d)"
    stop+=("rm -rf '$work'")
    controller_port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
    cat > "$work/server.properties" <<PROPERTIES
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$controller_port
log.dirs=$work/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
    java_options=(-Xmx512m -XX:+UseSerialGC "-Dlog4j.configuration=file:$root/docker/kafka/log4j.properties")
    java "${java_options[@]}" -cp "$jars/*" kafka.tools.StorageTool format --config "$work/server.properties" --cluster-id 5L6g3nShT-eMCtK--X86sw >/dev/null
    java "${java_options[@]}" -cp "$jars/*" kafka.Kafka "$work/server.properties" > "$work/kafka.log" 2>&1 &
    kafka_pid=$!
    stop=("kill $kafka_pid; wait $kafka_pid" "${stop[@]}")
    echo "kafka-conformance: Apache Kafka from Maven Central's jars on $(java -version 2>&1 | head -n1), 127.0.0.1:$port"
    wait_for_log "cat '$work/kafka.log'" "Kafka on the JVM"
    ;;
  *) echo "kafka-conformance: --engine must be auto, docker or jvm (got '$engine')" >&2; exit 2 ;;
esac

KAFKA_BROKERS="127.0.0.1:$port" npx vitest run test/kafka/conformance
