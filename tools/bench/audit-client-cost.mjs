#!/usr/bin/env node
// Benchmark (not a test): CPU cost per event of the audit client in the PROXY's process: record() (event
// creation, queueing, metrics) and the batching + gRPC encode/send until acknowledged.
//   node --import tsx tools/bench/audit-client-cost.mjs                 # fake transport only
//   set -a; . .services/env; set +a; node --import tsx tools/bench/audit-client-cost.mjs   # + a real gateway
// BENCH_FAKE=0 skips the fake-transport case. BENCH_RATE=<events/s> paces record() (as a proxy under load would) so the queue stays short; default unpaced.
// Add --cpu-prof --cpu-prof-dir=/tmp/prof after `node` for a profile. Env: BENCH_EVENTS (default 200000), ROUNDS (3).
// Loopback only: the gateway binds 127.0.0.1 and the broker is the local tools/services one.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { createAuditClient } from '@registry/audit-client';
import { startAuditGateway } from '@registry/audit-testing';
import { silentLogger } from '@registry/shared-logger';

const total = Number(process.env.BENCH_EVENTS ?? 200_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const rate = Number(process.env.BENCH_RATE ?? 0);
const input = (i) => ({
  event_type: 'npm.package.download', status_code: 200, package: `pkg-${i % 1000}`, version: '1.0.0',
  filename: `pkg-${i % 1000}-1.0.0.tgz`, source: 'cache', user_agent: 'npm/10.8.2 node/v20.18.0 linux x64', remote_addr: '127.0.0.1',
  size: 10_240, request_id: `bench-${i}`,
});

/** A gateway that acknowledges at once: what is left is the client's own work. */
const instantTransport = () => ({ sent: 0, async send(events) { this.sent += events.length; }, close() {} });

// Process CPU also counts GC helper threads and the tsx loader worker; main-thread busy time is the fairer figure.
const cpuMicros = () => { const u = process.cpuUsage(); return u.user + u.system; };
// System time is reported apart: on loopback the kernel's delivery of the sent bytes is charged to the sender.
const systemMicros = () => process.cpuUsage().system;

async function measure(name, makeClient) {
  const client = makeClient();
  for (let i = 0; i < 1_000; i++) client.record(input(i)); // warm-up (JIT, channel connect)
  await new Promise((r) => setTimeout(r, 300));
  const cpu0 = cpuMicros();
  const sys0 = systemMicros();
  const elu0 = performance.eventLoopUtilization();
  const t0 = process.hrtime.bigint();
  let recordNs = 0n;
  for (let i = 0; i < total; i += 1_000) {
    const s = process.hrtime.bigint();
    for (let j = i; j < i + 1_000; j++) client.record(input(j));
    recordNs += process.hrtime.bigint() - s;
    await new Promise((r) => setImmediate(r)); // let the client send, as a server's event loop would
    if (rate > 0) {
      const due = Number(t0) / 1e6 + ((i + 1_000) / rate) * 1000;
      const wait = due - Number(process.hrtime.bigint()) / 1e6;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await client.close(60_000); // flushes: every event acknowledged
  const cpu = cpuMicros() - cpu0;
  const sys = systemMicros() - sys0;
  const busyMs = performance.eventLoopUtilization(elu0).active; // main thread only: what competes with requests
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { name, events: total, rate: rate || 'unpaced', recordNsPerEvent: Math.round(Number(recordNs) / total),
    mainThreadNsPerEvent: Math.round((busyMs * 1e6) / total), processCpuNsPerEvent: Math.round((cpu * 1000) / total), systemNsPerEvent: Math.round((sys * 1000) / total), wallMs: Math.round(wallMs) };
}

const results = [];
const gatewayDir = process.env.KAFKA_BROKERS ? await mkdtemp(path.join(tmpdir(), 'audit-cost-')) : undefined;
const gateway = gatewayDir === undefined ? undefined : await startAuditGateway({
  kafkaBrokers: process.env.KAFKA_BROKERS, topic: `audit-cost-${randomUUID().slice(0, 8)}`, dataDir: gatewayDir, extraEnv: { LOG_LEVEL: 'warn' },
});
try {
  for (let r = 0; r < rounds; r++) {
    if (process.env.BENCH_FAKE !== '0') results.push(await measure('fake transport', () => createAuditClient({
      address: 'unused', logger: silentLogger, metrics: new Registry(), maxQueue: total + 10_000, transport: instantTransport(),
    })));
    if (gateway) {
      results.push(await measure('real gateway (gRPC)', () => createAuditClient({
        address: gateway.address, logger: silentLogger, metrics: new Registry(), maxQueue: total + 10_000,
      })));
    }
  }
} finally {
  await gateway?.stop();
  if (gatewayDir) await rm(gatewayDir, { recursive: true, force: true });
}
for (const r of results) console.log(JSON.stringify(r));
if (!gateway) console.log('KAFKA_BROKERS not set: real-gateway case skipped (source .services/env)');
