import { request as httpRequest } from 'node:http';

/**
 * The status `url` answers to a request declaring `length` bytes of JSON and sending none of them: any answer
 * proves the server decided without reading the body.
 */
export function statusBeforeBody(url: string, method: string, path: string, length: number): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: { 'content-type': 'application/json', 'content-length': String(length) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}
