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
const originalWrite = Symbol('originalWrite');
const originalEnd = Symbol('originalEnd');
interface Outcome {
  failure?: number;
  /** Body bytes written to the connection since countBodyBytes. */
  sent?: number;
}
type TrackedResponse = Response & { [outcome]?: Outcome; [originalWrite]?: Response['write']; [originalEnd]?: Response['end'] };

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

function byteLengthOf(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

function countSent(res: TrackedResponse, chunk: unknown, encoding: unknown): void {
  const tracked = res[outcome];
  if (tracked !== undefined && !res.destroyed && typeof chunk !== 'function') tracked.sent = (tracked.sent ?? 0) + byteLengthOf(chunk, encoding);
}

// Shared by every counted response (no closures per request): they call the response's own write and end.
function countingWrite(this: TrackedResponse, ...args: unknown[]): boolean {
  countSent(this, args[0], args[1]);
  return (this[originalWrite] as (...a: unknown[]) => boolean).apply(this, args);
}
function countingEnd(this: TrackedResponse, ...args: unknown[]): TrackedResponse {
  countSent(this, args[0], args[1]);
  return (this[originalEnd] as (...a: unknown[]) => TrackedResponse).apply(this, args);
}

/**
 * Counts the body bytes written to the connection from now on, whatever writes them (sendBody, res.json, a
 * representation), so responseSize is what the client was sent, also when it left mid-body. Call it once,
 * before the route runs (auditTrail does).
 */
export function countBodyBytes(res: Response): void {
  const tracked = res as TrackedResponse;
  if (tracked[originalWrite] !== undefined) return;
  (tracked[outcome] ??= {}).sent = 0;
  tracked[originalWrite] = res.write;
  tracked[originalEnd] = res.end;
  res.write = countingWrite as Response['write'];
  res.end = countingEnd as Response['end'];
}

/** Body bytes sent since countBodyBytes (0 for a HEAD, which sends none); null when they were not counted. */
export function responseSize(res: Response): number | null {
  if (res.req.method === 'HEAD') return 0;
  return (res as TrackedResponse)[outcome]?.sent ?? null;
}

/**
 * Sends a body, bytes or a stream (with `pipeline` and the client's abort signal). A stream that fails with an
 * AppError is noted for responseStatus. HEAD sends no body.
 */
export async function sendBody(req: Request, res: Response, body: Buffer | Readable | undefined, signal: AbortSignal): Promise<void> {
  if (body === undefined || Buffer.isBuffer(body) || req.method === 'HEAD') {
    if (body !== undefined && !Buffer.isBuffer(body)) body.destroy();
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
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
