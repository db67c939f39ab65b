import type { Response } from 'express';

/** An AbortSignal that fires when the client goes away before the response finished (style §3.8). */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed the connection'));
  });
  return controller.signal;
}
