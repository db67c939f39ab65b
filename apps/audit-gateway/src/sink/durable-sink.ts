import { setTimeout as delay } from 'node:timers/promises';
import type { AuditEvent } from '@registry/audit-event';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { GatewayMetrics } from '../gateway-metrics';
import { toAuditRecord, type AuditRecord } from './audit-record';
import type { AuditSink } from './audit-sink';
import type { EventProducer } from './event-producer';
import type { Spool } from './spool';

export interface DurableSinkOptions {
  producer: EventProducer;
  spool: Spool;
  metrics: GatewayMetrics;
  logger: Logger;
  /** A produce not acknowledged within this goes to the spool instead. */
  ackTimeoutMs: number;
  /** Records per produce while draining the spool. */
  drainChunk?: number;
}

/**
 * Kafka first, spool when Kafka is away (audit issue, "Backpressure and no loss"). While the spool
 * holds anything, new events are appended behind it so the drain keeps their order; one background
 * loop connects (creating the topic), drains the spool oldest-first, and is the only one that decides
 * that Kafka is back.
 */
export class DurableSink implements AuditSink {
  private kafkaUp = false;
  private topicReady = false;
  private draining: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(private readonly opts: DurableSinkOptions) {}

  /** Opens the spool (replaying what a crash left) and starts connecting; returns at once after that. */
  async start(): Promise<void> {
    await this.opts.spool.open();
    this.updateGauges();
    if (!this.opts.spool.isEmpty()) this.opts.logger.warn({ events: this.opts.spool.events }, 'replaying the audit spool');
    this.ensureDrain();
  }

  async publish(events: AuditEvent[]): Promise<void> {
    const records = events.map(toAuditRecord);
    if (this.kafkaUp && this.opts.spool.isEmpty()) {
      try {
        await this.produce(records);
        return;
      } catch (err) {
        this.kafkaUp = false;
        this.opts.logger.warn({ err }, 'Kafka did not acknowledge; spooling until it is back');
      }
    }
    await this.opts.spool.append(records);
    this.opts.metrics.spooled.inc(records.length);
    this.updateGauges();
    this.ensureDrain();
  }

  async checkReady(): Promise<void> {
    // Ready once the topic exists; a later Kafka outage is absorbed by the spool, so it stays ready.
    if (!this.topicReady) throw new Error('Kafka topic not created yet (broker not answering; events are spooled)');
  }

  async close(deadlineMs: number): Promise<void> {
    const drained = this.draining ?? Promise.resolve();
    const outcome = await Promise.race([drained.then(() => 'drained' as const), delay(deadlineMs, 'timeout' as const, { ref: false })]);
    if (outcome === 'timeout') this.opts.logger.warn({ events: this.opts.spool.events }, 'shutdown deadline: spool kept on disk for the next start');
    this.stop.abort();
    await this.draining?.catch(() => undefined);
    await this.opts.spool.close();
    await this.opts.producer.disconnect().catch((err: unknown) => this.opts.logger.warn({ err }, 'Kafka disconnect failed'));
  }

  private async produce(records: AuditRecord[]): Promise<void> {
    const stopTimer = this.opts.metrics.produceDuration.startTimer();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('unavailable', `no Kafka acknowledgement within ${this.opts.ackTimeoutMs} ms`)), this.opts.ackTimeoutMs);
    });
    try {
      await Promise.race([this.opts.producer.produce(records), timeout]);
    } finally {
      clearTimeout(timer);
    }
    stopTimer();
    this.opts.metrics.produced.inc(records.length);
  }

  private ensureDrain(): void {
    if (this.draining || this.stop.signal.aborted) return;
    if (this.kafkaUp && this.opts.spool.isEmpty()) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (!this.opts.spool.isEmpty()) this.ensureDrain(); // appended while the loop was finishing
    });
  }

  private async drain(): Promise<void> {
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      try {
        if (!this.kafkaUp) await this.opts.producer.connect();
        this.topicReady = true;
        await this.drainSpool();
        this.kafkaUp = true;
        if (this.opts.spool.isEmpty()) return;
      } catch (err) {
        this.kafkaUp = false;
        if (attempt % 10 === 0) this.opts.logger.warn({ err, spooled: this.opts.spool.events }, 'Kafka unavailable; retrying');
        await delay(Math.min(5_000, 250 * 2 ** Math.min(attempt, 5)), undefined, { signal: this.stop.signal }).catch(() => undefined);
      }
    }
  }

  private async drainSpool(): Promise<void> {
    const chunk = this.opts.drainChunk ?? 5_000;
    for (let segment = await this.opts.spool.oldest(); segment; segment = await this.opts.spool.oldest()) {
      for (let i = 0; i < segment.records.length; i += chunk) await this.produce(segment.records.slice(i, i + chunk));
      await this.opts.spool.remove(segment.seq);
      this.updateGauges();
      if (this.stop.signal.aborted) return;
    }
  }

  private updateGauges(): void {
    this.opts.metrics.spoolBytes.set(this.opts.spool.bytes);
    this.opts.metrics.spoolEvents.set(this.opts.spool.events);
  }
}
