import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  /** The service's metric name prefix (`npm_proxy`): other metrics of the service are registered under it. */
  prefix: string;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  responseBytes: Counter<'route'>;
}

/** A Prometheus registry per process, with default Node metrics and HTTP request metrics. */
export function createHttpMetrics(prefix: string, registry = new Registry()): HttpMetrics {
  collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
  return {
    registry,
    prefix,
    requestDuration: new Histogram({
      name: `${prefix}_http_request_duration_seconds`,
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    responseBytes: new Counter({
      name: `${prefix}_http_response_bytes_total`,
      help: 'Bytes sent in HTTP response bodies, by route',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
  };
}
