// One measurement: wrk (Debian) against a URL for a bounded time, while sampling the server's process tree
// (RSS every 100 ms; CPU time before and after, from /proc/<pid>/stat). wrk counts the bytes it really read
// (headers + bodies), so MB/s is right for binary bodies.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const reportLua = fileURLToPath(new URL('./report.lua', import.meta.url));
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })); // unit of utime/stime in /proc/<pid>/stat

/** VmRSS (KiB) and utime+stime (ticks) of `pid` plus all its descendants (gunicorn/nginx workers count). */
export function treeStats(pid) {
  const children = new Map();
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
      const ppid = Number(fields[1]);
      stats.set(Number(entry), Number(fields[11]) + Number(fields[12])); // utime, stime
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* the process ended while we looked */ }
  }
  let rssKib = 0;
  let cpuTicks = 0;
  for (const stack = [pid]; stack.length; ) {
    const p = stack.pop();
    try {
      rssKib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      cpuTicks += stats.get(p) ?? 0;
    } catch { /* gone */ }
    stack.push(...(children.get(p) ?? []));
  }
  return { rssKib, cpuTicks };
}

export const treeRssKib = (pid) => treeStats(pid).rssKib;

/**
 * Waits (up to `deadlineMs`) until the process tree uses less than 10% of a core over 300 ms: a server may
 * still be working off the previous sample's requests (Verdaccio on a 20 MB packument), which would
 * otherwise be charged to the next one. Resolves to the ms it waited.
 */
export async function settle(pid, deadlineMs = 10_000) {
  const started = Date.now();
  if (!pid) return 0;
  const windowMs = 300;
  let before = treeStats(pid).cpuTicks;
  while (Date.now() - started < deadlineMs) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = treeStats(pid).cpuTicks;
    if (((now - before) / CLK_TCK) * 1000 < windowMs * 0.1) break;
    before = now;
  }
  return Date.now() - started;
}

function wrkArgs({ url, headers = {}, seconds, connections, threads, timeout = 10 }) {
  const args = ['-t', String(Math.min(threads, connections)), '-c', String(connections), '-d', `${seconds}s`, '--timeout', `${timeout}s`, '--latency', '-s', reportLua];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return args;
}

async function wrk(load) {
  const { stdout } = await run('wrk', wrkArgs(load), { timeout: (load.seconds + (load.timeout ?? 10) + 30) * 1000, maxBuffer: 1 << 20 });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk printed no result: ${stdout.slice(-300)}`);
  return JSON.parse(line.slice('BENCH_JSON '.length));
}

/**
 * Runs wrk; returns the parsed BENCH_JSON totals plus the max RSS (KiB) seen every 100 ms and the CPU time the
 * server's process tree used per request (µs). `background` ({ url, headers, connections }) runs a second wrk
 * against the same server for the whole sample (the CPU figure then covers both and is left out).
 */
export async function measure({ pid, background, ...load }) {
  const before = pid ? treeStats(pid) : { rssKib: 0, cpuTicks: 0 };
  let maxRss = before.rssKib;
  const timer = setInterval(() => { if (pid) maxRss = Math.max(maxRss, treeStats(pid).rssKib); }, 100);
  try {
    const bg = background ? wrk({ ...load, ...background, seconds: load.seconds + 1 }) : undefined;
    if (bg) await new Promise((r) => setTimeout(r, 500)); // the big responses are in flight when the sample starts
    const m = await wrk(load);
    const after = pid ? treeStats(pid) : before;
    const bgResult = bg ? await bg : undefined;
    const cpuUs = ((after.cpuTicks - before.cpuTicks) * 1e6) / CLK_TCK;
    return { ...m, rss_kib: maxRss, cpu_us_per_req: pid && !bg && m.requests ? cpuUs / m.requests : undefined, background: bgResult };
  } finally {
    clearInterval(timer);
  }
}
