import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import type { HttpMetrics } from './metrics';

const startedAt = Symbol('startedAt');
type TimedResponse = Response & { [startedAt]?: number };
interface BoundMetrics {
  observeDuration(seconds: number): void;
  addBytes(bytes: number): void;
}

/**
 * Request duration and response bytes per route template. The labelled children are bound once per
 * (method, route, status) and cached: prom-client hashes the label set on every labelled call otherwise.
 * One shared 'finish' listener instead of a closure per request. The label space is bounded: route
 * templates, Node's fixed method list, status codes.
 */
export function metricsMiddleware(metrics: HttpMetrics): RequestHandler {
  const bound = new Map<string, BoundMetrics>();
  const bind = (method: string, route: string, status: string): BoundMetrics => {
    const key = `${method} ${status} ${route}`;
    let children = bound.get(key);
    if (children === undefined) {
      const duration = metrics.requestDuration.labels({ method, route, status });
      const bytes = metrics.responseBytes.labels({ route });
      children = { observeDuration: (s) => duration.observe(s), addBytes: (n) => bytes.inc(n) };
      bound.set(key, children);
    }
    return children;
  };
  function onFinish(this: TimedResponse): void {
    const req = this.req;
    const children = bind(req.method, routeLabel(req), String(this.statusCode));
    children.observeDuration((performance.now() - (this[startedAt] ?? 0)) / 1000);
    const length = Number(this.getHeader('content-length'));
    if (Number.isFinite(length) && req.method !== 'HEAD') children.addBytes(length);
  }
  return (_req, res: TimedResponse, next) => {
    res[startedAt] = performance.now();
    res.once('finish', onFinish);
    next();
  };
}

/** Route template for metrics labels, never the raw URL (unbounded cardinality). */
function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route?.path;
  return typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched';
}
