import type { Readable } from 'node:stream';

/**
 * Calls `report` once with the outcome of streaming `body`: its status when it ended, 502 when it
 * failed (e.g. an upstream digest mismatch), 499 when the client went away first (nginx's convention).
 */
export function reportWhenStreamed(body: Readable, okStatus: number, report: (status: number) => void): void {
  let reported = false;
  const once = (status: number) => {
    if (!reported) {
      reported = true;
      report(status);
    }
  };
  body.once('end', () => once(okStatus));
  body.once('error', () => once(502));
  body.once('close', () => once(body.readableEnded ? okStatus : 499));
}
