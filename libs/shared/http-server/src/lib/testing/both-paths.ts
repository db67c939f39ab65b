import type { Express } from 'express';
import request from 'supertest';
import { expressPath } from '../hot-path';

/** The headers a client or cache acts on: what the hot path must send exactly as the Express path does. */
const HEADERS = [
  'content-type', 'content-length', 'content-encoding', 'content-range', 'accept-ranges', 'etag', 'last-modified', 'cache-control', 'vary',
  'x-registry-cache', 'location', 'www-authenticate', 'retry-after', 'warning', 'x-registry-stale',
] as const;

export interface Answer {
  status: number;
  headers: Partial<Record<(typeof HEADERS)[number], string>>;
  body: Buffer;
  /** Every answer carries a request id; its value is a counter, so only its presence is compared. */
  hasRequestId: boolean;
}

export type Send = (agent: ReturnType<typeof request>) => request.Test;

export interface BothWays {
  hot: Answer;
  express: Answer;
  /** The audit events each way recorded, without what differs by construction (ids, timestamps). */
  hotEvents: object[];
  expressEvents: object[];
  /** How often Express's router saw the hot request: 0 when the hot path answered it. */
  routerCallsOfHot: number;
}

/**
 * One request sent once through the app as served (the hot path in front) and once through Express's router
 * alone (`expressPath`), with the audit events each recorded (`events`: the spec's recording audit client) and
 * how often the router saw the first: a spec expects the two alike and the hot path taken (or not).
 */
export async function sendBothWays(app: Express, events: () => readonly object[], send: Send): Promise<BothWays> {
  const router = (app as unknown as { router: { handle: (...args: unknown[]) => unknown } }).router;
  const original = router.handle;
  let calls = 0;
  router.handle = function counted(this: unknown, ...args: unknown[]) {
    calls += 1;
    return original.apply(this, args);
  };
  try {
    let seen = events().length;
    const hot = answerOf(await binary(send(request(app))));
    const routerCallsOfHot = calls;
    const hotEvents = events().slice(seen).map(comparable);
    seen = events().length;
    const express = answerOf(await binary(send(request(expressPath(app)))));
    const expressEvents = events().slice(seen).map(comparable);
    return { hot, express, hotEvents, expressEvents, routerCallsOfHot };
  } finally {
    router.handle = original;
  }
}

/**
 * The hot path's promise, for each pair: it answered (the router never saw the request) with exactly the Express
 * path's answer and audit events.
 */
export function expectAnsweredAlike(pairs: readonly (BothWays | undefined)[]): void {
  for (const pair of pairs) {
    expect(pair?.routerCallsOfHot).toBe(0);
    expect(pair?.hot).toEqual(pair?.express);
    expect(pair?.hotEvents).toEqual(pair?.expressEvents);
  }
}

/** sendBothWays for each request, one after the other (each pair's audit events are told apart by their order). */
export async function sendEachBothWays(app: Express, events: () => readonly object[], sends: Send[]): Promise<BothWays[]> {
  const out: BothWays[] = [];
  for (const send of sends) out.push(await sendBothWays(app, events, send));
  return out;
}

const UNIQUE = new Set(['request_id', 'event_id', 'timestamp']);
/** The event without what is unique to each request, at the top and in `extra`. */
function comparable(event: object): object {
  const without = (o: object): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([k]) => !UNIQUE.has(k)));
  const rest = without(event);
  return typeof rest['extra'] === 'object' && rest['extra'] !== null ? { ...rest, extra: without(rest['extra']) } : rest;
}

const binary = (test: request.Test): request.Test =>
  test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

function answerOf(res: request.Response): Answer {
  const headers: Answer['headers'] = {};
  for (const name of HEADERS) {
    const value = res.headers[name] as string | undefined;
    if (value !== undefined) headers[name] = value;
  }
  return { status: res.status, headers, body: Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0), hasRequestId: typeof res.headers['x-request-id'] === 'string' };
}
