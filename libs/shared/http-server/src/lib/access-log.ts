import type { RequestHandler, Response } from 'express';
import type { Logger } from '@registry/shared-logger';
import { redactUrl } from './redact-url';

const UNLOGGED_PATHS = new Set(['/-/health', '/metrics', '/-/ready']);
const startedAt = Symbol('accessLogStartedAt');
type TimedResponse = Response & { [startedAt]?: number };

/**
 * The JSON access log: one line per request when it ends, info, or error for a 5xx; a client that hung up
 * first is an info line with `aborted: true`. Returns undefined when the logger's level is above info, so
 * that level costs nothing per request. Written by hand rather than with pino-http, which built two child
 * loggers per request (about a third of the kit's per-request CPU, tools/bench/http-kit-overhead.sh).
 * Only method, redacted URL, user agent and status are logged: never headers, which carry credentials.
 */
export function accessLog(logger: Logger): RequestHandler | undefined {
  if (!logger.isLevelEnabled('info')) return undefined;
  function onEnd(this: TimedResponse): void {
    this.removeListener('finish', onEnd);
    this.removeListener('close', onEnd);
    const req = this.req;
    const aborted = !this.writableFinished;
    const line = {
      req: { id: req.id, method: req.method, url: redactUrl(req.originalUrl), userAgent: req.headers['user-agent'] },
      res: { statusCode: this.statusCode },
      responseTime: Date.now() - (this[startedAt] ?? 0),
      ...(aborted ? { aborted } : {}),
    };
    if (!aborted && this.statusCode >= 500) logger.error(line, 'request errored');
    else logger.info(line, aborted ? 'request aborted by the client' : 'request completed');
  }
  return (req, res: TimedResponse, next) => {
    if (!UNLOGGED_PATHS.has(req.url)) {
      res[startedAt] = Date.now();
      res.once('finish', onEnd);
      res.once('close', onEnd);
    }
    next();
  };
}
