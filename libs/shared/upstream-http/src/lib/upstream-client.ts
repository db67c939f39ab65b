import type { Readable } from 'node:stream';
import { Agent, request as undiciRequest } from 'undici';
import { AppError, isAppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import { isRetryableConnectionError, toUpstreamError } from './to-upstream-error';
import { discardBody, mapBodyErrors } from './read-body';
import { UpstreamHealthState, type UpstreamHealthOptions } from './upstream-health';

export interface UpstreamClientOptions {
  /** Origins (`scheme://host[:port]`) the client may contact; everything else is refused before any I/O. */
  allowedOrigins: readonly string[];
  userAgent: string;
  connectTimeoutMs: number;
  /** Time allowed until the response headers arrive. */
  headersTimeoutMs: number;
  /** Longest silence allowed between two body chunks. */
  bodyTimeoutMs: number;
  /** Connections per origin (keep-alive pool size). */
  maxSockets: number;
  logger: Logger;
  /** The circuit breaker shared by every request of this client (one client per upstream). */
  health?: UpstreamClientHealthOptions;
}

export interface UpstreamClientHealthOptions extends Pick<UpstreamHealthOptions, 'minBackoffMs' | 'maxBackoffMs' | 'metrics'> {
  name: string;
  /** What the background probe GETs while the upstream is unhealthy (the registry root); default the first origin. */
  probeUrl?: string;
  /** While unhealthy, how long a request may wait for response headers before it gives up; default 2 s. */
  unhealthyDeadlineMs?: number;
}

export type UpstreamMethod = 'GET' | 'HEAD' | 'POST';

export interface UpstreamRequestOptions {
  method?: UpstreamMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Redirects followed (only to allowed origins); default 5. 0 surfaces the 3xx as is. */
  maxRedirects?: number;
  /** Sends If-None-Match; a 304 is returned as a normal response (status 304, empty body). */
  ifNoneMatch?: string;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Node stream; errors on it are AppError (upstream_timeout / upstream_unavailable) or an AbortError. Destroy it if unused. */
  body: Readable;
  /** Final URL after redirects, without credentials. */
  url: string;
}

export interface UpstreamClient {
  /**
   * One upstream request. Refuses URLs (and redirect targets) outside the allow-list with AppError('forbidden').
   * Connection failures: 'upstream_unavailable'; timeouts: 'upstream_timeout'. GET/HEAD are retried once when a
   * connection is reset before the response headers arrive. Bodies are passed through undecoded (no Accept-Encoding).
   */
  request(url: string, opts?: UpstreamRequestOptions): Promise<UpstreamResponse>;
  isAllowed(url: string): boolean;
  /** This upstream's health: told the outcome of every request; callers with a copy ask it before waiting. */
  health: UpstreamHealthState;
  close(): Promise<void>;
}

/** Answers that say the upstream is in trouble (protocols §6.3): the breaker trips on them as on a timeout. */
const isFailureStatus = (status: number): boolean => status >= 500 || status === 429;
const isUpstreamFault = (err: unknown): boolean => isAppError(err) && (err.code === 'upstream_unavailable' || err.code === 'upstream_timeout');

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/** Keep-alive undici client for upstream registries, with an origin allow-list (SSRF guard). */
export function createUpstreamClient(opts: UpstreamClientOptions): UpstreamClient {
  const allowList = createOriginAllowList(opts.allowedOrigins);
  const agent = new Agent({
    connect: { timeout: opts.connectTimeoutMs },
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.bodyTimeoutMs,
    connections: opts.maxSockets,
  });

  const healthOpts = opts.health ?? { name: 'upstream' };
  const unhealthyDeadlineMs = healthOpts.unhealthyDeadlineMs ?? 2_000;
  const health = new UpstreamHealthState({
    ...healthOpts, logger: opts.logger,
    probe: async () => {
      // HEAD: a registry root can be large (a PyPI root index is tens of MB); any answer below 500 will do.
      const res = await request(healthOpts.probeUrl ?? opts.allowedOrigins[0] ?? '', { method: 'HEAD', maxRedirects: 0 });
      await discardBody(res);
      if (isFailureStatus(res.status)) throw new AppError('upstream_unavailable', `upstream probe answered ${res.status}`);
    },
  });

  async function sendOnce(url: URL, method: UpstreamMethod, headers: Record<string, string>, ro: UpstreamRequestOptions) {
    const isIdempotent = method === 'GET' || method === 'HEAD';
    for (let attempt = 1; ; attempt++) {
      // While the upstream is unhealthy nobody waits a full timeout for it: headers must come within the deadline.
      const deadline = health.allowsRequest() ? undefined : new AbortController();
      const timer = deadline && setTimeout(() => deadline.abort(), unhealthyDeadlineMs);
      const signal = deadline ? (ro.signal ? AbortSignal.any([ro.signal, deadline.signal]) : deadline.signal) : ro.signal;
      try {
        return await undiciRequest(url, { dispatcher: agent, method, headers, body: method === 'POST' ? ro.body : undefined, signal });
      } catch (err) {
        if (attempt === 1 && isIdempotent && !signal?.aborted && isRetryableConnectionError(err)) {
          opts.logger.debug({ url: safeUrl(url), method }, 'upstream connection reset; retrying once');
          continue;
        }
        if (deadline?.signal.aborted && !ro.signal?.aborted) {
          throw new AppError('upstream_timeout', `the upstream is unhealthy and did not answer within ${unhealthyDeadlineMs} ms for ${safeUrl(url)}`, { cause: err });
        }
        throw toUpstreamError(err, safeUrl(url));
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Every outcome reaches the breaker: errors, failure statuses, and errors of the body stream. */
  async function observed(url: string, ro: UpstreamRequestOptions): Promise<UpstreamResponse> {
    let res: UpstreamResponse;
    try {
      res = await request(url, ro);
    } catch (err) {
      if (isUpstreamFault(err)) health.failed(err);
      throw err;
    }
    if (isFailureStatus(res.status)) health.failed(new AppError('upstream_unavailable', `upstream answered ${res.status} for ${res.url}`));
    else health.succeeded();
    res.body.once('error', (err) => { if (isUpstreamFault(err)) health.failed(err); });
    return res;
  }

  async function request(rawUrl: string, ro: UpstreamRequestOptions = {}): Promise<UpstreamResponse> {
    let url = parseUrl(rawUrl);
    let method: UpstreamMethod = ro.method ?? 'GET';
    let headers = buildHeaders(url, ro, opts.userAgent);
    const maxRedirects = ro.maxRedirects ?? 5;
    for (let redirects = 0; ; redirects++) {
      allowList.assertAllowed(url);
      url = withoutCredentials(url);
      const res = await sendOnce(url, method, headers, ro);
      const location = headerValue(res.headers['location']);
      opts.logger.debug({ url: safeUrl(url), method, status: res.statusCode }, 'upstream response');
      if (!REDIRECT_STATUSES.has(res.statusCode) || location === undefined || maxRedirects === 0) {
        return {
          status: res.statusCode,
          headers: flattenHeaders(res.headers),
          body: mapBodyErrors(res.body, (err) => toUpstreamError(err, safeUrl(url))),
          url: safeUrl(url),
        };
      }
      await discardBody(res);
      if (redirects >= maxRedirects) {
        throw new AppError('upstream_unavailable', `too many upstream redirects from ${safeUrl(url)}`);
      }
      const next = parseUrl(location, url);
      // 303 (and, by common practice, 301/302 after POST) continue as GET without a body (protocols §6.5).
      if (res.statusCode === 303 || (method === 'POST' && res.statusCode <= 302)) method = method === 'HEAD' ? 'HEAD' : 'GET';
      if (next.origin !== url.origin) headers = dropCredentials(headers);
      url = next;
    }
  }

  return {
    request: observed,
    health,
    isAllowed: (url) => {
      try {
        return allowList.isAllowed(new URL(url));
      } catch {
        return false;
      }
    },
    close: () => {
      health.close();
      return agent.close();
    },
  };
}

function parseUrl(raw: string, base?: URL): URL {
  try {
    return new URL(raw, base);
  } catch (err) {
    throw new AppError('upstream_unavailable', 'invalid upstream URL', { cause: err });
  }
}

/** Credentials in a configured URL (`https://user:pass@host/`) become a Basic header and never reach a log. */
function buildHeaders(url: URL, ro: UpstreamRequestOptions, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  for (const [name, value] of Object.entries(ro.headers ?? {})) headers[name.toLowerCase()] = value;
  if (ro.ifNoneMatch !== undefined) headers['if-none-match'] = ro.ifNoneMatch;
  if (url.username !== '' && headers['authorization'] === undefined) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  return headers;
}

function withoutCredentials(url: URL): URL {
  if (url.username === '' && url.password === '') return url;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

const safeUrl = (url: URL): string => withoutCredentials(url).href;

function dropCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)));
}

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The SSRF guard (protocols §8.2): outbound requests go only to configured origins
 * (scheme + host + port, compared exactly after URL normalisation).
 */
export interface OriginAllowList {
  isAllowed(url: URL): boolean;
  /** Throws AppError('forbidden') unless `url` is http(s) and its origin is configured. */
  assertAllowed(url: URL): void;
}

export function createOriginAllowList(origins: readonly string[]): OriginAllowList {
  const allowed = new Set(origins.map(normalizeOrigin));
  const isAllowed = (url: URL): boolean =>
    (url.protocol === 'http:' || url.protocol === 'https:') && allowed.has(url.origin);
  return {
    isAllowed,
    assertAllowed(url) {
      if (!isAllowed(url)) {
        throw new AppError('forbidden', `upstream origin ${url.origin} is not in the allow-list`, {
          details: { origin: url.origin },
        });
      }
    },
  };
}

function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (err) {
    throw new Error(`allowedOrigins: not a URL: ${origin}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`allowedOrigins: not http(s): ${origin}`);
  return url.origin;
}
