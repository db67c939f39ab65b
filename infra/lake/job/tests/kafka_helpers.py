"""Produces the workload to a topic of its own on the real broker (confluent-kafka, idempotent producer)."""

from __future__ import annotations

from confluent_kafka import KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def create_topic(brokers: str, topic: str, partitions: int = 2) -> None:
    admin = AdminClient({"bootstrap.servers": brokers})
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1)], operation_timeout=30, request_timeout=30
    )
    try:
        futures[topic].result(timeout=60)
    except KafkaException as err:
        raise AssertionError(f"cannot create topic {topic} on {brokers}: is Kafka up (npm run services:up)?") from err


def produce(brokers: str, topic: str, messages: list[tuple[str, bytes]]) -> None:
    """Sends every message and waits until the broker acknowledged all of them."""
    errors: list[str] = []

    def on_delivery(err: object, _msg: object) -> None:
        if err is not None:
            errors.append(str(err))

    producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True, "acks": "all"})
    for key, value in messages:
        producer.produce(topic, key=key.encode(), value=value, on_delivery=on_delivery)
    remaining = producer.flush(60)
    assert remaining == 0, f"{remaining} messages not acknowledged by Kafka at {brokers}"
    assert not errors, f"delivery failed: {errors[:3]}"
