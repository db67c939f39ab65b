import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { statusBeforeBody } from '@registry/shared-testing';
import { startHarness, type PrivateTestHarness } from './testing/harness';

/**
 * An anonymous caller's body is refused before it is read. Each request declares a huge
 * Content-Length and sends no body at all, so an answer proves the server decided without reading it.
 */
describe('bodies of unauthenticated requests', () => {
  let harness: PrivateTestHarness;
  let server: Server;
  beforeAll(async () => {
    harness = await startHarness({ upstream: false });
    server = harness.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await harness.close();
  });

  const statusWithoutBody = (method: string, path: string, length: number) =>
    statusBeforeBody(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, method, path, length);

  it('answers an anonymous 60 MiB publish 401 before reading it', async () => {
    expect(await statusWithoutBody('PUT', '/some-pkg', 60 * 1024 * 1024)).toBe(401);
  });

  it('answers an anonymous 40 MiB audit POST 413 before reading it', async () => {
    expect(await statusWithoutBody('POST', '/-/npm/v1/security/audits/quick', 40 * 1024 * 1024)).toBe(413);
    expect(await statusWithoutBody('POST', '/-/npm/v1/security/advisories/bulk', 40 * 1024 * 1024)).toBe(413);
  });
});
