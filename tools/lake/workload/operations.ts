/** One audited HTTP request the workload made, with what the client saw (the expected audit event). */
export interface Operation {
  registry: 'npm' | 'pypi';
  action: 'download' | 'login' | 'upload' | 'metadata';
  package: string | null;
  /** Downloads: where the proxy said the bytes came from (first fetch upstream, then the cache). */
  source: 'cache' | 'upstream' | null;
  status: number;
  /** Body bytes the client received (downloads): 0 for a HEAD, the part for a range. */
  size: number | null;
  /** The user name the client sent (also when it was refused). */
  user: string | null;
  /** How the file was asked for, when not a plain GET (README, "What an event means"). */
  method?: 'HEAD';
  range?: string;
  /** A package published here rather than fetched through the cache. */
  origin?: 'private';
}

export interface HttpResult {
  status: number;
  body: Buffer;
}

/** A request on loopback; the body is read to the end so the proxy records the finished response. */
export async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, init);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

export function expectStatus(what: string, result: HttpResult, expected: number): void {
  if (result.status !== expected) {
    throw new Error(`${what}: expected HTTP ${expected}, got ${result.status}: ${result.body.toString('utf8').slice(0, 500)}`);
  }
}
