import { Writable } from 'node:stream';
import { Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { hotPathOf, segmentMatcher } from './hot-path';
import { createHttpMetrics } from './metrics';
import { expectAnsweredAlike, sendEachBothWays } from './testing/both-paths';

interface LogLine { msg: string; req?: { id?: string; method?: string; url?: string }; res?: { statusCode?: number } }

function kitApp() {
  const lines: LogLine[] = [];
  const destination = new Writable({ write(c, _e, done) { lines.push(JSON.parse(String(c)) as LogLine); done(); } });
  const logger = createLogger({ name: 't', level: 'info', destination });
  const app = createHttpApp({ logger, metrics: createHttpMetrics('hot_kit') });
  const hot = hotPathOf(app);
  const seen: string[] = [];
  hot.rewriteUrl((url) => url.replace(/^\/old\//, '/new/'));
  hot.use((req, _res, next) => { seen.push(`${req.method} ${req.url}`); next(); });
  const router = Router();
  router.get('/-/own', (_req, res) => { res.send('own route'); });
  hot.get(router, '/new/:name', (req, res) => {
    if (req.params['name'] === 'broken') throw new AppError('not_found', 'no such thing');
    res.setHeader('x-name', String(req.params['name']));
    res.send(`hello ${String(req.params['name'])} ${String(req.query['q'] ?? '')}`);
  }, { unless: (path) => path.startsWith('/new/-') });
  app.use(router);
  return { app: finishHttpApp(app, logger), lines, seen };
}

describe('the hot path of the HTTP kit', () => {
  it('answers a hot route as Express does: rewrite, middleware, params, query, errors, access log and request id', async () => {
    const { app, lines, seen } = kitApp();
    const pairs = await sendEachBothWays(app, () => [], [
      (r) => r.get('/old/w%20orld?q=1'),
      (r) => r.get('/new/there/'),
      (r) => r.head('/new/there'),
      (r) => r.get('/new/broken'),
    ]);
    expectAnsweredAlike(pairs);
    for (const p of pairs) expect(p.hot.hasRequestId).toBe(true);
    expect(pairs.map((p) => p.hot.status)).toEqual([200, 200, 200, 404]);
    expect(pairs[0]?.hot.body.toString()).toBe('hello w orld 1');
    expect(seen).toEqual(['GET /new/w%20orld?q=1', 'GET /new/w%20orld?q=1', 'GET /new/there/', 'GET /new/there/', 'HEAD /new/there', 'HEAD /new/there', 'GET /new/broken', 'GET /new/broken']);
    const access = lines.filter((l) => l.msg === 'request completed').map((l) => [l.req?.method, l.req?.url, l.res?.statusCode]);
    expect(access).toEqual([
      ['GET', '/old/w%20orld?q=1', 200], ['GET', '/old/w%20orld?q=1', 200], ['GET', '/new/there/', 200], ['GET', '/new/there/', 200],
      ['HEAD', '/new/there', 200], ['HEAD', '/new/there', 200], ['GET', '/new/broken', 404], ['GET', '/new/broken', 404],
    ]);
  });

  it('leaves to Express what it must: credentials, other methods, unless paths, bad escapes, the kit\'s routes, no match', async () => {
    const { app } = kitApp();
    const pairs = await sendEachBothWays(app, () => [], [
      (r) => r.get('/new/x').set('authorization', 'Bearer t'),
      (r) => r.post('/new/x'),
      (r) => r.get('/new/-x'),
      (r) => r.get('/new/%E0%A4%A'),
      (r) => r.get('/METRICS/'),
      (r) => r.get('/-/own'),
      (r) => r.get('/new/a/b'),
    ]);
    expect(pairs.map((p) => p.routerCallsOfHot)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(pairs.map((p) => p.hot.status)).toEqual([200, 404, 200, 400, 200, 200, 404]);
  });

  it('matches literal and :param segments only, one trailing slash, decoded params', () => {
    const match = segmentMatcher('/files/:project/:filename');
    expect(match('/files/a/b.whl')).toEqual({ project: 'a', filename: 'b.whl' });
    expect(match('/files/a/b%2Bc.whl/')).toEqual({ project: 'a', filename: 'b+c.whl' });
    expect([match('/files/a'), match('/files//b'), match('/files/a/b//'), match('/Files/a/b'), match('files/a/b')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(() => segmentMatcher('/files/*rest')).toThrow('only literal and :param segments');
  });
});
