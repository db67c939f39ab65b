import type { Request, RequestHandler, Response } from 'express';
import type { AuditEventInput } from '@registry/audit-event';
import { countBodyBytes, responseSize, responseStatus, type HttpMetrics } from '@registry/shared-http-server';
import { cacheRequestsCounter, cacheResultOf } from './cache-requests';

/** What a route knows for its event; status, caller and request id are added when the response ends. */
export type AuditFacts = Omit<AuditEventInput, 'status_code' | 'user_agent' | 'remote_addr' | 'request_id' | 'timestamp' | 'event_id'>;

/** The audit client as the middleware needs it (AuditClient satisfies it): record never blocks or throws. */
export interface AuditRecorder {
  record(event: AuditEventInput): void;
}

export interface AuditTrailOptions {
  /** The service's metrics: `<prefix>_cache_requests_total` is counted from the recorded events. */
  metrics?: HttpMetrics;
}

const FACTS = Symbol('auditFacts');
type AuditedResponse = Response & { [FACTS]?: Partial<AuditFacts> };
/** A Range header is a few dozen characters; a hostile one is cut, never stored whole. */
const MAX_RANGE_LENGTH = 100;

/**
 * Declares (or adds to) the audit event of this request. The first declaration should come before anything can
 * fail (`auditedRoute` does it), so refusals and failures are recorded with their facts too.
 */
export function declareAudit(res: Response, facts: Partial<AuditFacts>): void {
  const audited = res as AuditedResponse;
  const current = audited[FACTS];
  audited[FACTS] = current === undefined ? facts : { ...current, ...facts, extra: { ...current.extra, ...facts.extra } };
}

/** Who the request's credentials name (`extra.user`): accepted or refused, never a password or token. */
export function declareUser(res: Response, user: string): void {
  declareAudit(res, { extra: { user } });
}

/** Where a served document or blob came from, as a service reports it. */
export interface ServedFrom {
  source: 'cache' | 'upstream';
  /** 'private': published here. */
  origin: 'private' | 'upstream';
  /** The upstream failed and the last good copy was served. */
  stale?: boolean;
  /** A download redirect (STORAGE_DOWNLOAD_REDIRECT): the client fetches the bytes there, not from us. */
  location?: string | undefined;
  /** The stored size: what a redirected client downloads. */
  size?: number | undefined;
}

/**
 * Every read route declares where its answer came from this way (README "What an event means"): `source`, and
 * `extra.origin=private` for a package published here, `extra.stale=true` for a stale-if-error answer,
 * `extra.delivery=redirect` with the stored size for a download redirect (the client gets the bytes elsewhere,
 * so the bytes sent here, none, would not say what was downloaded).
 */
export function declareServedFrom(res: Response, served: ServedFrom): void {
  const extra: Record<string, string> = {};
  if (served.origin === 'private') extra['origin'] = 'private';
  if (served.stale === true) extra['stale'] = 'true';
  if (served.location === undefined) return declareAudit(res, { source: served.source, extra });
  declareAudit(res, { source: served.source, extra: { ...extra, delivery: 'redirect' }, ...(served.size === undefined ? {} : { size: served.size }) });
}

/**
 * How the bytes were asked for (README "What an event means"): a HEAD is the same operation with `extra.method`
 * and no bytes; a range answer (206) names the Range header it served in `extra.range`. Merged into the declared
 * `extra` only when there is something to add (most requests: nothing, and no copy).
 */
function extraOf(req: Request, status: number, declared: Record<string, string> | undefined): Record<string, string> | undefined {
  if (req.method === 'HEAD') return { ...declared, method: 'HEAD' };
  const range = req.headers.range;
  return status === 206 && range !== undefined ? { ...declared, range: range.slice(0, MAX_RANGE_LENGTH) } : declared;
}

/** The event of a finished response, built as one object (this runs once per request). */
function eventOf(res: Response, facts: AuditFacts): AuditEventInput {
  const req = res.req;
  const status = responseStatus(res);
  return {
    event_type: facts.event_type,
    status_code: status,
    package: facts.package,
    version: facts.version,
    filename: facts.filename,
    source: facts.source,
    // What the client was sent (a HEAD: nothing); uploads declare the size they received instead.
    size: facts.size !== undefined && req.method !== 'HEAD' ? facts.size : responseSize(res),
    user_agent: req.headers['user-agent'] ?? null,
    remote_addr: req.ip ?? null,
    request_id: String(req.id),
    extra: extraOf(req, status, facts.extra),
  };
}

/**
 * The one place audit events are recorded, for both registries: when a response ends ('close', which Node emits
 * after 'finish' too, and alone for one that failed or that the client abandoned), the facts its route declared
 * become one event with the status the client actually got (responseStatus: 499 for a client that left, the
 * error's status for a body that broke off) and the bytes it was sent (countBodyBytes). The same event counts
 * the cache's answer in the service's metrics. Per request: one listener (a shared function, no closure) and
 * the event; the recorder queues it and returns.
 */
export function auditTrail(recorder: AuditRecorder, opts: AuditTrailOptions = {}): RequestHandler {
  const countCacheResult = opts.metrics && cacheRequestsCounter(opts.metrics.registry, opts.metrics.prefix);
  function recordOnEnd(this: Response): void {
    const facts = (this as AuditedResponse)[FACTS];
    if (facts?.event_type === undefined) return;
    (this as AuditedResponse)[FACTS] = undefined; // one event, whatever emits 'close' again
    const event = eventOf(this, facts as AuditFacts);
    recorder.record(event);
    const result = countCacheResult === undefined ? undefined : cacheResultOf(event);
    if (result !== undefined) countCacheResult?.(result);
  }
  return (_req, res, next) => {
    countBodyBytes(res);
    // `on`, not `once`: once wraps the listener in a new closure per request; 'close' is emitted once.
    res.on('close', recordOnEnd);
    next();
  };
}

/**
 * A route handler that declares its event first, then runs: whatever `run` throws (a refused credential, a
 * missing package) still ends up in an event with these facts. Rejections go to the app's error handler.
 */
export function auditedRoute(facts: (req: Request) => Partial<AuditFacts>, run: (req: Request, res: Response) => Promise<unknown> | unknown): RequestHandler {
  return (req, res, next) => {
    try {
      declareAudit(res, facts(req));
      Promise.resolve(run(req, res)).catch((err: unknown) => {
        declarePolicyRefusal(res, err);
        next(err);
      });
    } catch (err) {
      next(err);
    }
  };
}

/**
 * A refusal by a firewall rule carries the rule in its error details (`policy`, `advisory`): the event of the
 * refused operation says which (README "What an event means": `extra.policy`, `extra.advisory`).
 */
function declarePolicyRefusal(res: Response, err: unknown): void {
  const details = (err as { details?: Record<string, unknown> } | undefined)?.details;
  const policy = details?.['policy'];
  if (typeof policy !== 'string') return;
  const advisory = details?.['advisory'];
  declareAudit(res, { extra: { policy, ...(typeof advisory === 'string' ? { advisory } : {}) } });
}
