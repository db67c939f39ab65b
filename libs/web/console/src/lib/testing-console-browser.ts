import request from 'supertest';
import type { Express } from 'express';

/**
 * A browser for component specs: a supertest agent (it keeps the console's cookies) that reads each page's form
 * token the way a browser submits it, from the hidden field.
 */
export interface ConsoleBrowser {
  agent: ReturnType<typeof request.agent>;
  /** The form token the last page carried. */
  formToken(): Promise<string>;
  /** Sends a console form (url-encoded), with the page's form token unless `csrf` is given. */
  post(path: string, fields: Record<string, string>, opts?: { csrf?: string; headers?: Record<string, string> }): request.Test;
  /** Logs in with the form; the session cookie it got (`name=value`), to replay it. */
  logIn(name: string, password: string): Promise<string>;
}

export function consoleBrowser(app: Express): ConsoleBrowser {
  const agent = request.agent(app);
  let token: string | undefined;
  const formToken = async (): Promise<string> => {
    if (token === undefined) {
      const page = await agent.get('/-/web/login').expect(200);
      const match = /name="csrf" value="([^"]+)"/.exec(page.text);
      if (!match?.[1]) throw new Error('the login page has no form token');
      token = match[1];
    }
    return token;
  };
  const browser: ConsoleBrowser = {
    agent, formToken,
    post: (path, fields, opts = {}) => {
      const req = agent.post(path).type('form');
      for (const [name, value] of Object.entries(opts.headers ?? {})) req.set(name, value);
      return req.send({ ...(opts.csrf === undefined ? { csrf: token ?? '' } : { csrf: opts.csrf }), ...fields });
    },
    logIn: async (name, password) => {
      await formToken();
      const res = await browser.post('/-/web/login', { name, password }).expect(303).expect('location', '/-/web/account');
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = cookies.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('registry_console_session='));
      if (!session) throw new Error('the login set no session cookie');
      return session;
    },
  };
  return browser;
}

/**
 * What the account page answers a replayed session cookie: its status, whether it says the session has ended, and
 * whether it clears the cookie (what a browser sees when a session expires or is revoked).
 */
export async function accountWithSession(app: Express, session: string): Promise<{ status: number; ended: boolean; cookieCleared: boolean }> {
  const res = await request(app).get('/-/web/account').set('cookie', session);
  return {
    status: res.status,
    ended: res.text.includes('Your session has ended: log in again.'),
    cookieCleared: String(res.headers['set-cookie'] ?? '').includes('registry_console_session=; Path=/-/web; HttpOnly; SameSite=Strict; Max-Age=0'),
  };
}
