// One measurement: wrk (Debian) against a URL for a bounded time, while sampling the server's RSS.
// wrk counts the bytes it really read (headers + bodies), so MB/s is right for binary bodies.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const reportLua = fileURLToPath(new URL('./report.lua', import.meta.url));

/** VmRSS in KiB of `pid` plus all its descendants (gunicorn/devpi workers count toward the server). */
export function treeRssKib(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* the process ended while we looked */ }
  }
  let total = 0;
  for (const stack = [pid]; stack.length; ) {
    const p = stack.pop();
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Runs wrk; returns the parsed BENCH_JSON line plus the max RSS (MiB) seen every 100 ms. */
export async function measure({ url, headers = {}, seconds, connections, threads, pid }) {
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--timeout', '10s', '--latency', '-s', reportLua];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  let maxRss = pid ? treeRssKib(pid) : 0;
  const timer = setInterval(() => { if (pid) maxRss = Math.max(maxRss, treeRssKib(pid)); }, 100);
  try {
    const { stdout } = await run('wrk', args, { timeout: (seconds + 30) * 1000, maxBuffer: 1 << 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    if (!line) throw new Error(`wrk printed no result: ${stdout.slice(-300)}`);
    return { ...JSON.parse(line.slice('BENCH_JSON '.length)), rss_kib: maxRss };
  } finally {
    clearInterval(timer);
  }
}
