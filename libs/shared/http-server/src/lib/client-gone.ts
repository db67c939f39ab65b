import type { Request, Response } from 'express';
import { ClientClosedError } from './send-body';

/**
 * True when an error only says the client hung up mid-response (a cancelled download): the connection is
 * already closed, or the error is the abortOnClose reason somewhere in its cause chain. ECONNRESET or a
 * premature close alone is not enough: an upstream dropping its connection looks the same, and that is ours
 * to log. Such errors are routine, so they are logged at debug and answered with nothing.
 */
export function isClientGone(err: unknown, req: Request, res: Response): boolean {
  if (!res.writableFinished && (res.destroyed || req.socket.destroyed)) return true;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof ClientClosedError) return true;
  }
  return false;
}
