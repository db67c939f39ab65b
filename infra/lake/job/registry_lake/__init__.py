"""Audit lake (issue 6): Kafka audit events -> Iceberg table, and the analytics report."""
