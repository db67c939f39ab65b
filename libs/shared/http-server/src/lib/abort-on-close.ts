import type { Response } from 'express';

/** The abort reason of `abortOnClose`: the client went away, nothing failed on our side. */
export class ClientClosedError extends Error {
  override readonly name = 'ClientClosedError';
  constructor() {
    super('client closed the connection');
  }
}

/** An AbortSignal that fires when the client goes away before the response finished (style §3.8). */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new ClientClosedError());
  });
  return controller.signal;
}
