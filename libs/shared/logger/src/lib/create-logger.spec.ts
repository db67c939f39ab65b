import { Writable } from 'node:stream';
import { createLogger } from './create-logger';

function capture(): { lines: string[]; destination: Writable } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the service name', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'svc', level: 'info', destination }).info({ a: 1 }, 'hello');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ name: 'svc', msg: 'hello', a: 1 });
  });

  it('never writes credentials', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'svc', level: 'info', destination });
    logger.info({ req: { headers: { authorization: 'Bearer sekrit-token', cookie: 'sid=sekrit-cookie' } } }, 'request');
    logger.info({ user: { password: 'sekrit-password' }, token: 'sekrit-t', cfg: { S3_SECRET_ACCESS_KEY: 'sekrit-key' } }, 'misc');
    const all = lines.join('');
    expect(all).not.toMatch(/sekrit/);
    expect(all).toContain('[redacted]');
  });
});
