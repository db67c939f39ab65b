#!/usr/bin/env node
// Benchmark (not a test): events/s through audit client -> audit gateway (gRPC) -> Kafka (acks=all).
// Counts an event as done when Kafka acknowledged it (gateway metric audit_gateway_events_produced_total).
//   npm run services:up && set -a && . .services/env && set +a
//   node --import tsx tools/bench/audit-throughput.mjs
// BENCH_CPU_PROF=<dir> writes a CPU profile of the gateway there.
// Env: BENCH_EVENTS (default 200000), BENCH_CLIENTS (default 2, like two proxies), BENCH_BATCH (client batchSize, default 500).
// Loopback only: the gateway binds 127.0.0.1 and the broker is the local tools/services one.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { createAuditClient } from '@registry/audit-client';
import { readWithKcat, startAuditGateway } from '@registry/audit-testing';
import { silentLogger } from '@registry/shared-logger';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: npm run services:up, then source .services/env');
const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const clientCount = Number(process.env.BENCH_CLIENTS ?? 2);
const batchSize = Number(process.env.BENCH_BATCH ?? 500);

const topic = `audit-bench-${randomUUID().slice(0, 8)}`;
const dataDir = await mkdtemp(path.join(tmpdir(), 'audit-bench-'));
const gateway = await startAuditGateway({ kafkaBrokers: brokers, topic, dataDir, extraEnv: { LOG_LEVEL: 'warn' },
  ...(process.env.BENCH_CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] } : {}) });
const produced = async () => {
  const text = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
  return Number(/^audit_gateway_events_produced_total (\S+)$/m.exec(text)?.[1] ?? 0);
};

try {
  const clients = Array.from({ length: clientCount }, () =>
    createAuditClient({ address: gateway.address, logger: silentLogger, metrics: new Registry(), maxQueue: total, batchSize }),
  );
  // Warm-up: connect every channel and the producer.
  clients.forEach((c) => c.record({ event_type: 'npm.search', status_code: 200, request_id: 'warm-up' }));
  while ((await produced()) < clientCount) await new Promise((r) => setTimeout(r, 20));
  const base = await produced();

  const started = performance.now();
  for (let i = 0; i < total; i++) {
    clients[i % clientCount].record({
      event_type: 'pypi.package.download', status_code: 200, package: `pkg-${i % 1000}`, version: '1.0.0',
      filename: `pkg-${i % 1000}-1.0.0-py3-none-any.whl`, source: 'cache', user_agent: 'pip/24.0', remote_addr: '127.0.0.1',
      size: 123_456, request_id: `bench-${i}`,
    });
    if (i % 2_000 === 0) await new Promise((r) => setImmediate(r)); // let the clients send, as a server's event loop would
  }
  const recordedMs = performance.now() - started;
  while ((await produced()) - base < total) await new Promise((r) => setTimeout(r, 20));
  const elapsedS = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close(10_000)));

  const onTopic = (await readWithKcat(brokers, topic)).length;
  console.log(JSON.stringify({
    benchmark: 'audit client -> gateway -> Kafka (acks=all, gzip, idempotent)',
    events: total, clients: clientCount, batchSize,
    recordMs: Math.round(recordedMs), seconds: Number(elapsedS.toFixed(2)),
    eventsPerSecond: Math.round(total / elapsedS),
    messagesOnTopic: onTopic,
  }));
  if (onTopic < total + clientCount) throw new Error(`only ${onTopic} messages on the topic, expected ${total + clientCount}`);
} finally {
  await gateway.stop();
  await rm(dataDir, { recursive: true, force: true });
}
