import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

const SAFE_INCOMING_ID = /^[\w.-]{1,128}$/;

/**
 * Request ids: a random per-process prefix plus a counter. Unique across processes and restarts (48
 * random bits per process) like a UUID, but without a CSPRNG call per request; an id is a correlation
 * handle, not a secret, so a predictable counter is fine.
 */
export function requestIdGenerator(prefix = randomBytes(6).toString('hex')): () => string {
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
}

/** Sets `req.id` and the X-Request-Id response header: a safe incoming X-Request-Id is kept, else a new one. */
export function requestIdMiddleware(nextId = requestIdGenerator()): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_INCOMING_ID.test(incoming) ? incoming : nextId();
    req.id = id;
    res.setHeader('x-request-id', id);
    next();
  };
}
