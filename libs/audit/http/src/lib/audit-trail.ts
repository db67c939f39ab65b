import type { Request, RequestHandler, Response } from 'express';
import type { AuditEventInput } from '@registry/audit-event';
import { responseSize, responseStatus } from '@registry/shared-http-server';

/** What a route knows for its event; status, caller and request id are added when the response ends. */
export type AuditFacts = Omit<AuditEventInput, 'status_code' | 'user_agent' | 'remote_addr' | 'request_id' | 'timestamp' | 'event_id'>;

/** The audit client as the middleware needs it (AuditClient satisfies it): record never blocks or throws. */
export interface AuditRecorder {
  record(event: AuditEventInput): void;
}

const FACTS = Symbol('auditFacts');
type AuditedResponse = Response & { [FACTS]?: Partial<AuditFacts> };

/**
 * Declares (or adds to) the audit event of this request. The first declaration should come before anything can
 * fail (`auditedRoute` does it), so refusals and failures are recorded with their facts too.
 */
export function declareAudit(res: Response, facts: Partial<AuditFacts>): void {
  const audited = res as AuditedResponse;
  const current = audited[FACTS];
  audited[FACTS] = current === undefined ? facts : { ...current, ...facts, extra: { ...current.extra, ...facts.extra } };
}

function recordOnEnd(this: Response, recorder: AuditRecorder): void {
  const facts = (this as AuditedResponse)[FACTS];
  if (facts?.event_type === undefined) return;
  (this as AuditedResponse)[FACTS] = undefined; // 'finish' and then 'close': one event
  const req = this.req;
  recorder.record({
    ...(facts as AuditFacts),
    status_code: responseStatus(this),
    size: facts.size !== undefined ? facts.size : responseSize(this),
    user_agent: req.headers['user-agent'] ?? null,
    remote_addr: req.ip ?? null,
    request_id: String(req.id),
  });
}

/**
 * The one place audit events are recorded, for both registries: when a response ends ('finish', or 'close' for one
 * that failed or that the client abandoned), the facts its route declared become one event with the status the client actually
 * got (responseStatus: 499 for a client that left, the error's status for a body that broke off).
 */
export function auditTrail(recorder: AuditRecorder): RequestHandler {
  return (_req, res, next) => {
    const record = (): void => recordOnEnd.call(res, recorder);
    res.once('finish', record);
    res.once('close', record);
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
      Promise.resolve(run(req, res)).catch(next);
    } catch (err) {
      next(err);
    }
  };
}
