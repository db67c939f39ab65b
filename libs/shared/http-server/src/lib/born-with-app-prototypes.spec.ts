import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { silentLogger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { hotPathOf } from './hot-path';
import { createHttpMetrics } from './metrics';
import { startHttpServer } from './start-http-server';

describe('startHttpServer with an Express app: requests and responses born with the app\'s prototypes', () => {
  it('builds them with app.request / app.response before Express sees them, and Express and the hot path work as before', async () => {
    const app = createHttpApp({ logger: silentLogger, metrics: createHttpMetrics('born') });
    const router = Router();
    router.get('/plain', (req, res) => { res.json({ q: req.query['q'], ip: req.ip }); });
    hotPathOf(app).get(router, '/hot/:name', (req, res) => { res.status(201).type('text').send(`hot ${String(req.params['name'])}`); });
    app.use(router);
    const server = await startHttpServer(finishHttpApp(app, silentLogger), { host: '127.0.0.1', port: 0, logger: silentLogger, name: 'test' });
    const born: boolean[] = [];
    server.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    try {
      const plain = await fetch(`${server.url}/plain?q=1`);
      expect([plain.status, await plain.json()]).toEqual([200, { q: '1', ip: '127.0.0.1' }]);
      const hot = await fetch(`${server.url}/hot/x`);
      expect([hot.status, hot.headers.get('content-type'), await hot.text()]).toEqual([201, 'text/plain; charset=utf-8', 'hot x']);
      const missing = await fetch(`${server.url}/nothing`);
      expect(missing.status).toBe(404);
      expect(born).toEqual([true, true, true]);
    } finally {
      await server.close();
    }
  });

  it('leaves a plain request listener\'s requests as Node builds them', async () => {
    const server = await startHttpServer((_req, res) => { res.end('ok'); }, { host: '127.0.0.1', port: 0, logger: silentLogger, name: 'test' });
    try {
      expect(await (await fetch(server.url)).text()).toBe('ok');
    } finally {
      await server.close();
    }
  });
});
