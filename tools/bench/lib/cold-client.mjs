#!/usr/bin/env node
// Cold cache: <clients> concurrent GETs of one uncached big file through a proxy, started together.
// Checks every body against the expected sha256, samples the proxy's RSS, then reads the upstream's
// fetch count. Prints one JSON object. Usage: cold-client.mjs <file url> <expected sha256> <proxy pid> <counts url> <counted path> [clients]
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import { treeRssKib } from './measure.mjs';

const [url, sha256, pid, countsUrl, countedPath, clientsArg] = process.argv.slice(2);
if (!url || !sha256 || !pid || !countsUrl || !countedPath) throw new Error('usage: cold-client.mjs <url> <sha256> <pid> <counts url> <path> [n]');
const clients = Number(clientsArg ?? 100);
const agent = new Agent({ connections: clients, headersTimeout: 120_000, bodyTimeout: 120_000 });

async function one() {
  const res = await request(url, { dispatcher: agent });
  const hash = createHash('sha256');
  for await (const chunk of res.body) hash.update(chunk);
  return res.statusCode === 200 && hash.digest('hex') === sha256;
}

let maxRss = treeRssKib(Number(pid));
const timer = setInterval(() => { maxRss = Math.max(maxRss, treeRssKib(Number(pid))); }, 50);
const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: clients }, one));
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
await agent.close();
const counts = await (await fetch(countsUrl)).json();
console.log(JSON.stringify({
  clients, ok: outcomes.filter((o) => o.status === 'fulfilled' && o.value).length,
  failed: outcomes.filter((o) => o.status !== 'fulfilled' || !o.value).length,
  first_error: outcomes.find((o) => o.status === 'rejected')?.reason?.message,
  upstream_fetches: counts[countedPath], seconds, rss_mb: maxRss / 1024,
}));
