import { request as httpRequest } from 'node:http';
import { silentLogger } from '@registry/shared-logger';
import { startHttpServer } from './start-http-server';

describe('startHttpServer', () => {
  it('drains an in-flight request on close and refuses new connections', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const server = await startHttpServer(
      (_req, res) => {
        arrived();
        release = () => res.end('finished');
      },
      { host: '127.0.0.1', port: 0, logger: silentLogger, name: 'test' },
    );
    const body = new Promise<string>((resolve, reject) => {
      httpRequest(`${server.url}/slow`, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    await inFlight;
    const closed = server.close(5_000);
    release();
    await expect(body).resolves.toBe('finished');
    await closed;
    await expect(fetch(`${server.url}/again`)).rejects.toThrow();
  });
});
