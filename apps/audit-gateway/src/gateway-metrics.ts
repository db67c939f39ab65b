import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface GatewayMetrics {
  received: Counter;
  unauthenticated: Counter;
  rejected: Counter;
  produced: Counter;
  spooled: Counter;
  discarded: Counter;
  spoolBytes: Gauge;
  spoolEvents: Gauge;
  produceDuration: Histogram;
}

/** The gateway's audit metrics (audit issue, "Metrics"), in the service's /metrics registry. */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const p = 'audit_gateway';
  return {
    received: new Counter({ name: `${p}_events_received_total`, help: 'Events received over gRPC (valid or not)', registers }),
    unauthenticated: new Counter({ name: `${p}_calls_unauthenticated_total`, help: 'Calls refused for a missing or wrong AUDIT_GATEWAY_TOKEN', registers }),
    rejected: new Counter({ name: `${p}_events_rejected_total`, help: 'Events in batches refused as invalid or for a full spool', registers }),
    produced: new Counter({ name: `${p}_events_produced_total`, help: 'Events acknowledged by Kafka (directly or drained from the spool)', registers }),
    spooled: new Counter({ name: `${p}_events_spooled_total`, help: "Events fsync'd to the on-disk spool", registers }),
    discarded: new Counter({ name: `${p}_events_discarded_total`, help: 'Events accepted while audit is disabled (KAFKA_BROKERS unset)', registers }),
    spoolBytes: new Gauge({ name: `${p}_spool_bytes`, help: 'Bytes waiting in the spool', registers }),
    spoolEvents: new Gauge({ name: `${p}_spool_events`, help: 'Events waiting in the spool', registers }),
    produceDuration: new Histogram({
      name: `${p}_produce_duration_seconds`,
      help: 'Time from produce to Kafka acknowledgement (acks=all)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}
