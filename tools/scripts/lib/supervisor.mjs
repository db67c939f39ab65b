// Keeps a set of long-running child processes up: one that exits unexpectedly is restarted with back-off
// and a loud log line while the others keep serving. One that fails GIVE_UP_AFTER times in a row, each
// within STABLE_MS of its start, is given up on. stop() ends them all.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
const STABLE_MS = 30_000;
const GIVE_UP_AFTER = 5;
const STOP_GRACE_MS = 15_000;

/**
 * @param {{ name: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv }[]} specs
 * @param {{ log: (line: string) => void, onLine?: (name: string, line: string) => void, onRestart?: (name: string) => void, onAllGaveUp?: () => void }} hooks
 */
export function createSupervisor(specs, hooks) {
  const services = specs.map((spec) => ({ spec, child: undefined, failures: 0, timer: undefined, gaveUp: false, startedAt: 0 }));
  let stopping = false;

  const forward = (service, stream, out) => {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(`${line}\n`);
      hooks.onLine?.(service.spec.name, line);
    });
  };

  const start = (service) => {
    const { name, command, args, cwd, env } = service.spec;
    service.startedAt = Date.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    service.child = child;
    forward(service, child.stdout, process.stdout);
    forward(service, child.stderr, process.stderr);
    hooks.log(`${name} running (pid ${child.pid})`);
    child.once('error', (err) => hooks.log(`${name} could not be started: ${err.message}`));
    child.once('exit', (code, signal) => {
      service.child = undefined;
      if (!stopping) restartLater(service, signal ?? `exit code ${code}`);
    });
  };

  const restartLater = (service, how) => {
    const ranMs = Date.now() - service.startedAt;
    service.failures = ranMs >= STABLE_MS ? 1 : service.failures + 1;
    const name = service.spec.name;
    if (service.failures >= GIVE_UP_AFTER) {
      service.gaveUp = true;
      hooks.log(`!!! ${name} could not be kept up: it stopped ${service.failures} times in a row, each within ${STABLE_MS / 1000} s of starting (last: ${how}). Giving up on it; the others keep serving. Its own output above says why.`);
      if (services.every((s) => s.gaveUp)) hooks.onAllGaveUp?.();
      return;
    }
    const delay = Math.min(FIRST_DELAY_MS * 2 ** (service.failures - 1), MAX_DELAY_MS);
    hooks.log(`!!! ${name} exited unexpectedly (${how}) after ${(ranMs / 1000).toFixed(1)} s; restarting it in ${(delay / 1000).toFixed(1)} s (attempt ${service.failures} of ${GIVE_UP_AFTER - 1}); the others keep serving`);
    service.timer = setTimeout(() => {
      service.timer = undefined;
      if (stopping) return;
      start(service);
      hooks.onRestart?.(name);
    }, delay);
  };

  // Should this launcher die of its own error, its services go with it instead of running on unsupervised.
  process.once('exit', () => {
    for (const service of services) service.child?.kill('SIGKILL');
  });

  return {
    start() {
      for (const service of services) start(service);
    },
    /** Names of the services that could not be kept up. */
    failed() {
      return services.filter((s) => s.gaveUp).map((s) => s.spec.name);
    },
    /** SIGTERM to every running service (SIGKILL after a grace period); resolves when all have exited. */
    async stop() {
      stopping = true;
      await Promise.all(services.map(async (service) => {
        clearTimeout(service.timer);
        const child = service.child;
        if (!child) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(force);
      }));
    },
  };
}
