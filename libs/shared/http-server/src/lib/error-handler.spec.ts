import { Writable } from 'node:stream';
import request from 'supertest';
import { AppError } from '@registry/shared-errors';
import { createLogger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { createHttpMetrics } from './metrics';

describe('errorHandler: what a client is told', () => {
  it('sends the public message and logs the full one (storage keys and paths stay in the log)', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } });
    const logger = createLogger({ name: 't', level: 'debug', destination });
    const app = createHttpApp({ logger, metrics: createHttpMetrics('error_messages') });
    app.get('/store-down', () => { throw new AppError('unavailable', 'cannot open /var/lib/registry/npm/private/x.json', { publicMessage: 'the store is unavailable' }); });
    app.get('/bad-key', () => { throw new AppError('invalid_request', 'invalid storage key "pypi/projects/x": too long', { publicMessage: 'a name cannot be stored' }); });
    const served = finishHttpApp(app, logger);
    const down = await request(served).get('/store-down').expect(503);
    expect(down.body).toEqual({ error: 'the store is unavailable', code: 'unavailable' });
    const bad = await request(served).get('/bad-key').expect(400);
    expect(bad.body).toEqual({ error: 'a name cannot be stored', code: 'invalid_request' });
    expect(lines.join('')).toContain('/var/lib/registry/npm/private/x.json');
    expect(lines.join('')).toContain('pypi/projects/x');
  });
});
