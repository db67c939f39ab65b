import express, { type Express } from 'express';
import type { Logger } from '@registry/shared-logger';
import type { HttpMetrics } from './metrics';
import { errorHandler, notFoundHandler } from './error-handler';
import { accessLog } from './access-log';
import { metricsMiddleware } from './metrics-middleware';
import { requestIdMiddleware } from './request-id';
import { installHotPath, startHotPath } from './hot-path';

/** A dependency the service needs to be ready (object store, gateway, broker). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * When false, a failure is reported in the body but does not make the service unready. Used for the
   * audit gateway: audit never blocks a download, so an audit outage must not take the proxies out of
   * the load balancer (the audit client queues meanwhile). Defaults to true.
   */
  critical?: boolean;
}

/**
 * A registry's readiness: its object store must answer; the audit gateway is reported but not critical (audit never
 * blocks a download, so an audit outage must not take the proxies out of the load balancer).
 */
export function registryReadiness(store: { ping(): Promise<void> }, audit: { isHealthy(): boolean }): ReadinessCheck[] {
  return [
    { name: 'store', check: () => store.ping() },
    { name: 'audit', critical: false, check: async () => { if (!audit.isHealthy()) throw new Error('audit gateway unreachable'); } },
  ];
}

/** What an app factory (createApp) returns: the Express app and how to close what it opened. */
export interface ServedApp {
  app: Express;
  close(): Promise<void>;
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: HttpMetrics;
  readiness?: ReadinessCheck[];
  /**
   * Trust X-Forwarded-For/-Proto/-Host from these proxies only: a hop count or addresses/CIDRs (Express "trust
   * proxy"); off by default. Never `true`: that trusts a forged header from any client (shared-config `trustProxy`).
   */
  trustProxy?: false | number | readonly string[];
}

declare module 'http' {
  interface IncomingMessage {
    id: string | number | object;
  }
}

/**
 * The Express kit every HTTP service starts from: request id (X-Request-Id in and out), JSON access
 * log, metrics per route, `/-/health`, `/-/ready`, `/metrics`, and a hot path (`hotPathOf`). Call `finishHttpApp` after adding routes.
 */
export function createHttpApp(opts: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', Array.isArray(opts.trustProxy) ? [...opts.trustProxy] : opts.trustProxy ?? false);
  const log = accessLog(opts.logger);
  const kitMiddleware = [requestIdMiddleware(), ...(log === undefined ? [] : [log]), metricsMiddleware(opts.metrics)];
  for (const middleware of kitMiddleware) app.use(middleware);
  startHotPath(app, kitMiddleware);
  app.get('/-/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/-/ready', async (_req, res) => {
    const results = await Promise.all(
      (opts.readiness ?? []).map(async (c) => {
        try {
          await c.check();
          return { name: c.name, ok: true };
        } catch (err) {
          return { name: c.name, ok: false, critical: c.critical ?? true, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const ready = results.every((r) => r.ok || r.critical === false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
  return app;
}

/** Adds the 404 and error handlers, and the hot path in front of the router (hot-path.ts); call after all routes are mounted. */
export function finishHttpApp(app: Express, logger: Logger): Express {
  const onError = errorHandler(logger);
  app.use(notFoundHandler);
  app.use(onError);
  installHotPath(app, onError, notFoundHandler);
  return app;
}
