"""Audit lake: Kafka audit events -> Iceberg table, and the analytics report."""
