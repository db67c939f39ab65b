import { EventEmitter } from 'node:events';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@registry/shared-logger';

export type UpstreamState = 'healthy' | 'unhealthy';

export interface UpstreamHealthOptions {
  /** Which upstream (a metric label and a log field): `npm`, `pypi`, `pypi-files`. */
  name: string;
  logger: Logger;
  /** One cheap request to the upstream; resolves when it answered (any status below 500), rejects otherwise. */
  probe: () => Promise<void>;
  /** First wait before a probe after a trip; doubled after each failed probe up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Registers `<prefix>_upstream_up`, `_upstream_trips_total` and `_upstream_recoveries_total` there. */
  metrics?: { registry: Registry; prefix: string };
}

/**
 * The health of one upstream (a circuit breaker), shared by every request to it: metadata and files. One failure
 * (connection error, timeout, 5xx, 429) marks it unhealthy; from then on callers with a copy answer from it at
 * once (`allowsRequest()` is false) and a background probe retries with exponential back-off. Any answer
 * (probe or a real request that went through anyway) marks it healthy again. Logged once per transition, and
 * emitted as `transition` (the new state).
 */
export class UpstreamHealthState extends EventEmitter {
  private current: UpstreamState = 'healthy';
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly gauge: Gauge<'upstream'> | undefined;
  private readonly trips: Counter<'upstream'> | undefined;
  private readonly recoveries: Counter<'upstream'> | undefined;

  constructor(private readonly opts: UpstreamHealthOptions) {
    super();
    this.minBackoffMs = opts.minBackoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.backoffMs = this.minBackoffMs;
    if (opts.metrics) {
      const { registry, prefix } = opts.metrics;
      this.gauge = existingOr(registry, `${prefix}_upstream_up`, () => new Gauge({
        name: `${prefix}_upstream_up`, help: '1 while the upstream is healthy, 0 while it is marked unhealthy', labelNames: ['upstream'] as const, registers: [registry],
      }));
      this.trips = existingOr(registry, `${prefix}_upstream_trips_total`, () => new Counter({
        name: `${prefix}_upstream_trips_total`, help: 'Times the upstream was marked unhealthy', labelNames: ['upstream'] as const, registers: [registry],
      }));
      this.recoveries = existingOr(registry, `${prefix}_upstream_recoveries_total`, () => new Counter({
        name: `${prefix}_upstream_recoveries_total`, help: 'Times the upstream was marked healthy again', labelNames: ['upstream'] as const, registers: [registry],
      }));
      this.gauge.set({ upstream: opts.name }, 1);
      this.trips.inc({ upstream: opts.name }, 0);
      this.recoveries.inc({ upstream: opts.name }, 0);
    }
  }

  get state(): UpstreamState {
    return this.current;
  }

  /** False while unhealthy: a caller holding a copy serves it instead of asking (and waiting). */
  allowsRequest(): boolean {
    return this.current === 'healthy';
  }

  succeeded(): void {
    if (this.current === 'healthy') return;
    this.current = 'healthy';
    this.backoffMs = this.minBackoffMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.gauge?.set({ upstream: this.opts.name }, 1);
    this.recoveries?.inc({ upstream: this.opts.name });
    this.opts.logger.info({ upstream: this.opts.name }, 'upstream is healthy again');
    this.emit('transition', 'healthy');
  }

  failed(err: unknown): void {
    if (this.current === 'unhealthy' || this.closed) return;
    this.current = 'unhealthy';
    this.gauge?.set({ upstream: this.opts.name }, 0);
    this.trips?.inc({ upstream: this.opts.name });
    this.opts.logger.warn({ upstream: this.opts.name, err }, 'upstream marked unhealthy: cached copies are served at once, probing in the background');
    this.emit('transition', 'unhealthy');
    this.scheduleProbe();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleProbe(): void {
    if (this.closed || this.timer) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.opts.probe().then(
        () => this.succeeded(),
        (err: unknown) => {
          this.opts.logger.debug({ upstream: this.opts.name, err }, 'upstream probe failed');
          if (this.current === 'unhealthy') this.scheduleProbe();
        },
      );
    }, wait);
    this.timer.unref();
  }
}

function existingOr<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
