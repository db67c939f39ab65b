import { setTimeout as delay } from 'node:timers/promises';
import { createAuditEvent, type AuditEventInput } from '@registry/audit-event';
import type { Logger } from '@registry/shared-logger';
import type { AuditClient } from './audit-client';
import type { AuditClientMetrics } from './audit-client-metrics';
import { AuditSendError, type AuditTransport, type EncodedAuditEvent } from './audit-transport';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { RecordBatchEncoder } from './encode-record-batch';
import { EventQueue } from './event-queue';

/** What record() does when the queue is full; either way the loss is counted and logged. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

export interface BatchingOptions {
  transport: AuditTransport;
  logger: Logger;
  metrics: AuditClientMetrics;
  maxQueue: number;
  batchSize: number;
  flushIntervalMs: number;
  overflow: OverflowPolicy;
  sendDeadlineMs: number;
  backoff: BackoffPolicy;
  /** At most one "queue full" log line per this many ms (the counter has the exact number). */
  overflowLogIntervalMs: number;
  random?: () => number;
}

const UNHEALTHY_AFTER_FAILURES = 3;

/**
 * Queue → batches → gateway, one batch in flight, at-least-once: a batch leaves the queue only when the
 * gateway acknowledged it; any other outcome retries it with backoff (or the gateway's hint). A full batch is
 * sent at once, a partial one after `flushIntervalMs`.
 */
export class BatchingAuditClient implements AuditClient {
  private readonly queue: EventQueue<EncodedAuditEvent>;
  private readonly encoder = new RecordBatchEncoder();
  private inFlight = 0;
  private pumping: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private consecutiveFailures = 0;
  private closing = false;
  private readonly wake = new AbortController();
  private droppedSinceLog = 0;
  private lastOverflowLog = 0;
  private readonly onFlushTimer = (): void => this.kick();

  constructor(private readonly opts: BatchingOptions) {
    this.queue = new EventQueue(opts.maxQueue);
    opts.metrics.live.queueDepth = () => this.queue.length;
  }

  record(input: AuditEventInput): void {
    try {
      this.opts.metrics.live.recorded++;
      if (this.closing) return this.drop('closed');
      if (this.queue.isFull() && !this.makeRoom()) return this.drop('queue_full');
      // Queued as the bytes that are sent: the event object dies young, the bytes live off the JS heap.
      this.queue.push(this.encoder.encodeEntry(createAuditEvent(input)));
      if (this.queue.length >= this.opts.batchSize) this.kick();
      else this.timer ??= setTimeout(this.onFlushTimer, this.opts.flushIntervalMs).unref();
    } catch (err) {
      // record() must never throw into a request handler.
      this.opts.logger.error({ err }, 'audit record failed');
    }
  }

  isHealthy(): boolean {
    return this.consecutiveFailures < UNHEALTHY_AFTER_FAILURES;
  }

  async close(deadlineMs = 5_000): Promise<void> {
    this.closing = true;
    this.kick();
    const deadline = delay(deadlineMs, 'deadline' as const, { ref: false });
    const flushed = (async () => {
      while (this.pumping) await this.pumping;
      return 'flushed' as const;
    })();
    if ((await Promise.race([flushed, deadline])) === 'deadline' && this.queue.length > 0) {
      this.opts.logger.error({ lost: this.queue.length, deadlineMs }, 'audit client closed before the gateway acknowledged every event');
      this.opts.metrics.dropped.inc({ reason: 'closed' }, this.queue.length);
    }
    this.wake.abort();
    this.opts.transport.close();
  }

  /** Starts the send loop if it is not running. */
  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pumping || this.queue.length === 0) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.queue.length === 0 || this.wake.signal.aborted) return;
      if (this.closing || this.queue.length >= this.opts.batchSize) this.kick();
      else this.timer ??= setTimeout(this.onFlushTimer, this.opts.flushIntervalMs).unref();
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.wake.signal.aborted) {
      const batch = this.queue.peek(this.opts.batchSize);
      this.inFlight = batch.length;
      try {
        await this.opts.transport.send(batch, { deadlineMs: this.opts.sendDeadlineMs });
        this.acknowledge(batch.length);
        // A partial batch waits for the flush timer like the first one did: under a steady load, sending what
        // arrived during one round trip at once would mean many small calls, each with its gRPC overhead.
        if (!this.closing && this.queue.length < this.opts.batchSize) return;
      } catch (err) {
        await this.onSendError(err, batch);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  private acknowledge(count: number): void {
    this.queue.removeHead(count);
    this.consecutiveFailures = 0;
    this.opts.metrics.sent.inc(count);
  }

  private async onSendError(err: unknown, batch: EncodedAuditEvent[]): Promise<void> {
    if (err instanceof AuditSendError && err.kind === 'invalid') return this.isolateInvalid(batch);
    this.consecutiveFailures++;
    this.opts.metrics.sendFailures.inc();
    const wait = err instanceof AuditSendError && err.retryAfterMs !== undefined
      ? err.retryAfterMs
      : backoffDelay(this.consecutiveFailures, this.opts.backoff, this.opts.random);
    const log = this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0 ? 'warn' : 'debug';
    this.opts.logger[log]({ err, attempt: this.consecutiveFailures, waitMs: wait, queued: this.queue.length }, 'audit gateway unavailable, retrying');
    await delay(wait, undefined, { signal: this.wake.signal, ref: false }).catch(() => undefined);
  }

  /** The gateway refused the batch as invalid: resend one by one so only the bad events are dropped. */
  private async isolateInvalid(batch: EncodedAuditEvent[]): Promise<void> {
    for (const event of batch) {
      try {
        await this.opts.transport.send([event], { deadlineMs: this.opts.sendDeadlineMs });
        this.acknowledge(1);
      } catch (err) {
        if (!(err instanceof AuditSendError && err.kind === 'invalid')) return this.onSendError(err, []); // head stays
        this.queue.removeHead(1);
        this.opts.metrics.dropped.inc({ reason: 'invalid' });
        this.opts.logger.error({ err, ...this.opts.transport.describe?.(event) }, 'audit gateway rejected an event');
      }
    }
  }

  /** drop-oldest: evict the oldest event that is not in flight; drop-newest: refuse the new one. */
  private makeRoom(): boolean {
    if (this.opts.overflow !== 'drop-oldest' || !this.queue.dropOldestAfter(this.inFlight)) return false;
    this.drop('queue_full');
    return true;
  }

  private drop(reason: 'queue_full' | 'closed'): void {
    this.opts.metrics.dropped.inc({ reason });
    this.droppedSinceLog++;
    const now = Date.now();
    if (now - this.lastOverflowLog >= this.opts.overflowLogIntervalMs) {
      this.opts.logger.error(
        { dropped: this.droppedSinceLog, reason, maxQueue: this.opts.maxQueue, policy: this.opts.overflow },
        'audit events dropped (see audit_client_events_dropped_total)',
      );
      this.lastOverflowLog = now;
      this.droppedSinceLog = 0;
    }
  }
}
