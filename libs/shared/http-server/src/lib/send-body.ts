import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { isAppError } from '@registry/shared-errors';
import { HTTP_STATUS } from './http-status';

/** The abort reason of `abortOnClose`: the client went away, nothing failed on our side. */
export class ClientClosedError extends Error {
  override readonly name = 'ClientClosedError';
  constructor() {
    super('client closed the connection');
  }
}

/** An AbortSignal that fires when the client goes away before the response finished: streams and downloads stop with it. */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new ClientClosedError());
  });
  return controller.signal;
}

/** nginx's status for a request whose client went away before the response was complete. */
export const CLIENT_CLOSED_REQUEST = 499;

const outcome = Symbol('responseOutcome');
type TrackedResponse = Response & { [outcome]?: { failure?: number; bodyBytes?: number } };

/**
 * Remembers that the response failed after its headers went out (a body that broke off: an upstream digest
 * mismatch, a reset), so the status recorded for it is the error's, not the 200 already sent.
 */
export function noteFailure(res: Response, err: unknown): void {
  ((res as TrackedResponse)[outcome] ??= {}).failure = isAppError(err) ? HTTP_STATUS[err.code] : 500;
}

/**
 * What the client actually got: the status when the response completed; the failure's status when the body
 * broke off on our side; 499 when the client left first.
 */
export function responseStatus(res: Response): number {
  if (res.writableFinished) return res.statusCode;
  return (res as TrackedResponse)[outcome]?.failure ?? CLIENT_CLOSED_REQUEST;
}

/** Body bytes of the response: its Content-Length, else what sendBody counted; null when unknown. */
export function responseSize(res: Response): number | null {
  const length = Number(res.getHeader('content-length'));
  if (Number.isFinite(length)) return length;
  return (res as TrackedResponse)[outcome]?.bodyBytes ?? null;
}

/**
 * Sends a body, bytes or a stream (with `pipeline` and the client's abort signal). A stream of unknown length is
 * counted for responseSize; a stream that fails with an AppError is noted for responseStatus. HEAD sends no body.
 */
export async function sendBody(req: Request, res: Response, body: Buffer | Readable | undefined, signal: AbortSignal): Promise<void> {
  if (body === undefined || Buffer.isBuffer(body) || req.method === 'HEAD') {
    if (body !== undefined && !Buffer.isBuffer(body)) body.destroy();
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (res.getHeader('content-length') === undefined) {
    const tracked = ((res as TrackedResponse)[outcome] ??= {});
    tracked.bodyBytes = 0;
    body.on('data', (chunk: Buffer) => { tracked.bodyBytes = (tracked.bodyBytes ?? 0) + chunk.length; });
  }
  try {
    await pipeline(body, res, { signal });
  } catch (err) {
    // Only our own failures (AppError from the store or the read-through) change the status; a client that
    // left shows up as a premature close or an abort and stays 499.
    if (isAppError(err)) noteFailure(res, err);
    throw err;
  }
}
