import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@registry/shared-testing';
import { repoRoot } from './repo-root';

const run = promisify(execFile);

export interface DedicatedKafka {
  brokers: string;
  /** Stops the broker (SIGTERM, data kept). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data; resolves when it answers metadata requests. */
  start(): Promise<void>;
  /** Stops it and deletes its state. */
  destroy(): Promise<void>;
}

/**
 * A second, private Kafka broker (tools/services/kafka.sh with its own state dir and ports), for tests
 * that stop and restart the broker without disturbing suites that share the main one.
 */
export async function startDedicatedKafka(): Promise<DedicatedKafka> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'audit-kafka-'));
  const env = {
    ...process.env,
    REGISTRY_SERVICES_DIR: stateDir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_LOG_LEVEL: 'warn',
  };
  const script = path.join(repoRoot(), 'tools/services/kafka.sh');
  const kafka = async (cmd: 'start' | 'stop') => {
    try {
      await run('bash', [script, cmd], { env, timeout: 180_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`tools/services/kafka.sh ${cmd} failed (run npm run services:up once to install Kafka): ${e.stderr ?? e.message}`);
    }
  };
  await kafka('start');
  return {
    brokers: `127.0.0.1:${env.KAFKA_PORT}`,
    start: () => kafka('start'),
    stop: () => kafka('stop'),
    destroy: async () => {
      await kafka('stop');
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
