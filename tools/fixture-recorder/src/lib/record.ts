import type { Recording } from './recordings';

/** Response headers worth keeping: they carry protocol facts (validators, serials, negotiation, redirects). */
const KEPT_HEADERS = ['content-type', 'etag', 'last-modified', 'x-pypi-last-serial', 'cache-control', 'vary', 'allow', 'location', 'retry-after'];

export interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One upstream exchange, redirects not followed (a redirect is itself a fact worth recording). */
export async function capture(rec: Pick<Recording, 'url' | 'method' | 'accept' | 'requestBody'>, timeoutMs = 120_000): Promise<Captured> {
  const headers: Record<string, string> = { 'user-agent': 'registry-fixture-recorder' };
  if (rec.accept !== undefined) headers['accept'] = rec.accept;
  if (rec.requestBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(rec.url, {
    method: rec.method ?? 'GET',
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    ...(rec.requestBody !== undefined ? { body: rec.requestBody } : {}),
  });
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) kept[name] = value;
  }
  return { status: res.status, headers: kept, body: await res.text() };
}
