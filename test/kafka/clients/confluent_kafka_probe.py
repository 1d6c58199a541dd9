"""Drives the embedded broker with the Python confluent-kafka client (librdkafka inside).

Usage: python3 confluent_kafka_probe.py <bootstrap> <topic> <group> <count>

Produces <count> messages as one zstd batch, consumes them in consumer group <group>, commits
synchronously and prints one JSON line with what it saw, for the vitest suite to judge.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition, libversion

bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

producer = Producer({
    "bootstrap.servers": bootstrap,
    "compression.type": "zstd",
    # One batch for all messages, so the stored batch's codec says what librdkafka sent.
    "linger.ms": 200,
    "enable.idempotence": True,
})
delivered = []
for i in range(count):
    producer.produce(topic, key=f"key-{i}", value=json.dumps({"n": i}),
                     on_delivery=lambda err, msg: delivered.append(err.str() if err else msg.offset()))
producer.flush(15)

consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
    "session.timeout.ms": 6000,
})
consumer.subscribe([topic])
consumed = []
deadline = time.monotonic() + 20
while len(consumed) < count and time.monotonic() < deadline:
    message = consumer.poll(0.5)
    if message is None:
        continue
    if message.error():
        raise SystemExit(f"consume failed: {message.error()}")
    consumed.append({"offset": message.offset(), "key": message.key().decode(), "value": message.value().decode()})
commit = consumer.commit(asynchronous=False) if consumed else []
committed = consumer.committed([TopicPartition(topic, 0)], timeout=10)
consumer.close()

print(json.dumps({
    "librdkafka": libversion()[0],
    "delivered": delivered,
    "consumed": consumed,
    "commitErrors": [str(tp.error) for tp in commit if tp.error is not None],
    "committed": [tp.offset for tp in committed],
}))
