/**
 * The lake's scripted workload through the real pipeline: real
 * npm-proxy and pypi-proxy against fixture upstreams on 127.0.0.1, audited through the real gateway into
 * the real Kafka topic given; a few events re-delivered with the same event_id and two malformed messages.
 * Prints a JSON manifest of the expected lake contents on stdout (progress goes to stderr).
 *
 *   npx tsx --tsconfig tsconfig.base.json tools/lake/produce-workload.ts --topic <unique topic>
 *
 * Needs KAFKA_BROKERS (source .services/env after `bash tools/services/up.sh`). Stops what it started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditEvent } from '@registry/audit-event';
import { startAuditGateway } from '@registry/audit-testing';
import { startFixtureRegistry } from '@registry/npm-testing';
import { startFixtureUpstream } from '@registry/pypi-testing';
import { buildManifest } from './workload/manifest';
import { runNpmTraffic, serveNpmFixtures } from './workload/npm-traffic';
import { startApp } from './workload/processes';
import { PYPI_UPLOADER, PYPI_UPLOADER_PASSWORD, runPypiTraffic, servePypiFixtures } from './workload/pypi-traffic';
import { replayThroughGateway } from './workload/replay';
import { MALFORMED_MESSAGES, produceMalformed, readWholeTopic } from './workload/topic';

const ROOT = path.resolve(__dirname, '../..');
const log = (message: string) => process.stderr.write(`[produce-workload] ${message}\n`);

/** Re-delivered events: a cache hit per registry and a failed login, so a missed de-duplication changes a query. */
function pickDuplicates(events: AuditEvent[]): AuditEvent[] {
  const first = (what: string, test: (e: AuditEvent) => boolean): AuditEvent => {
    const found = events.find(test);
    if (!found) throw new Error(`no ${what} event on the topic to re-deliver`);
    return found;
  };
  return [
    first('npm cache hit', (e) => e.event_type === 'npm.package.download' && e.status_code === 200),
    first('pypi cache hit', (e) => e.event_type === 'pypi.package.download' && e.status_code === 200),
    first('failed login', (e) => e.event_type === 'npm.user.login' && e.status_code === 401),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { topic: { type: 'string' } } });
  const brokers = process.env['KAFKA_BROKERS'];
  if (!values.topic) throw new Error('usage: produce-workload.ts --topic <unique topic>');
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run `bash tools/services/up.sh` and source .services/env');
  const topic = values.topic;
  const started = Date.now();
  const tmp = await mkdtemp(path.join(tmpdir(), 'lake-workload-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(tmp, { recursive: true, force: true })];
  try {
    const gateway = await startAuditGateway({ kafkaBrokers: brokers, topic, dataDir: path.join(tmp, 'gateway') });
    cleanups.unshift(() => gateway.stop());
    log(`gateway pid ${gateway.pid} at ${gateway.address}, topic ${topic}`);
    const npmUpstream = await startFixtureRegistry();
    cleanups.unshift(() => npmUpstream.close());
    serveNpmFixtures(npmUpstream);
    const pypiUpstream = await startFixtureUpstream();
    cleanups.unshift(() => pypiUpstream.stop());
    servePypiFixtures(pypiUpstream);

    const audit = { AUDIT_GATEWAY_ADDR: gateway.address, STORAGE_DRIVER: 'fs' };
    const npm = await startApp(ROOT, 'npm-proxy', 'NPM_PROXY_PORT', { ...audit, DATA_DIR: path.join(tmp, 'npm'), NPM_UPSTREAM_URL: npmUpstream.url });
    cleanups.unshift(() => npm.stop());
    const pypi = await startApp(ROOT, 'pypi-proxy', 'PYPI_PROXY_PORT', {
      ...audit, DATA_DIR: path.join(tmp, 'pypi'), PYPI_UPLOAD_TMP_DIR: tmp,
      PYPI_UPSTREAM_URL: pypiUpstream.indexUrl, PYPI_UPSTREAM_FILES_URL: pypiUpstream.filesUrl,
      REGISTRY_ADMIN_USER: PYPI_UPLOADER, REGISTRY_ADMIN_PASSWORD: PYPI_UPLOADER_PASSWORD,
    });
    cleanups.unshift(() => pypi.stop());
    log(`npm-proxy pid ${npm.pid}, pypi-proxy pid ${pypi.pid}`);

    const operations = [...(await runNpmTraffic(npm.url)), ...(await runPypiTraffic(pypi.url))];
    // SIGTERM closes each proxy's audit client with a deadline: what it recorded is acknowledged by then.
    await Promise.all([npm.stop(), pypi.stop()]);
    const written = (await readWholeTopic(brokers, topic)).map((v) => JSON.parse(v) as AuditEvent);
    // Each audited request is one event: fewer means one was lost, more means one was recorded twice.
    if (written.length !== operations.length) {
      throw new Error(`the gateway wrote ${written.length} events for ${operations.length} audited requests`);
    }
    const duplicates = pickDuplicates(written);
    await replayThroughGateway(gateway.address, duplicates);
    await produceMalformed(brokers, topic);
    const messages = (await readWholeTopic(brokers, topic)).length;
    const expected = written.length + duplicates.length + MALFORMED_MESSAGES.length;
    if (messages !== expected) throw new Error(`topic ${topic} holds ${messages} messages, expected ${expected}`);
    const seconds = (Date.now() - started) / 1000;
    log(`${written.length} events, ${duplicates.length} re-delivered, ${MALFORMED_MESSAGES.length} malformed in ${seconds.toFixed(1)} s`);
    process.stdout.write(`${JSON.stringify(buildManifest(topic, operations, written, duplicates, MALFORMED_MESSAGES.length, messages, seconds), null, 2)}\n`);
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err: unknown) => log(`cleanup failed: ${String(err)}`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[produce-workload] failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
