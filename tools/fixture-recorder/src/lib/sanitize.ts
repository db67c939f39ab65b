/**
 * Upstream host names never enter the repository: every host the recorder talked to, and every host an
 * upstream document points files or tarballs at, is replaced by a placeholder under `.invalid` (RFC 2606),
 * wherever it appears in a recorded body or header.
 */
export class HostPlaceholders {
  private readonly byHost = new Map<string, string>();

  /** Registers `host` (lowercase, with port if any) under a placeholder named after its role. */
  add(host: string, role: string): string {
    const key = host.toLowerCase();
    const known = this.byHost.get(key);
    if (known !== undefined) return known;
    const taken = new Set(this.byHost.values());
    let placeholder = `${role}.upstream.invalid`;
    for (let n = 2; taken.has(placeholder); n += 1) placeholder = `${role}-${n}.upstream.invalid`;
    this.byHost.set(key, placeholder);
    return placeholder;
  }

  has(host: string): boolean {
    return this.byHost.has(host.toLowerCase());
  }

  /** Placeholder → what it stands for, for the fixture README (roles only, never the host). */
  roles(): Record<string, string> {
    return Object.fromEntries([...this.byHost.values()].map((p) => [p, p.replace(/\.upstream\.invalid$/, '')]));
  }

  /** `text` with every registered host replaced, as a whole host token (so `a.example` leaves `aa.example` alone). */
  rewrite(text: string): string {
    let out = text;
    for (const [host, placeholder] of this.byHost) {
      const pattern = new RegExp(`(?<![A-Za-z0-9.-])${escapeRegExp(host)}(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`, 'gi');
      out = out.replace(pattern, placeholder);
    }
    return out;
  }

  /** Throws when a registered host survived (a bug in `rewrite`, or a host registered after rewriting). */
  assertClean(text: string, where: string): void {
    const lower = text.toLowerCase();
    for (const host of this.byHost.keys()) {
      if (lower.includes(host)) throw new Error(`${where} still names an upstream host after sanitizing`);
    }
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Hosts (with port) of the absolute http(s) URLs found in `text`. */
export function urlHostsIn(text: string): Set<string> {
  const hosts = new Set<string>();
  for (const match of text.matchAll(/https?:\/\/([^/\s"'<>?#]+)/gi)) {
    const authority = match[1]!;
    hosts.add(authority.slice(authority.lastIndexOf('@') + 1).toLowerCase());
  }
  return hosts;
}

/**
 * Hosts of the URLs an upstream document sends clients to for files: PyPI `files[].url` / `files[].provenance`
 * (JSON) or `href` / `data-provenance` (HTML); npm `versions[*].dist.tarball` / `dist.attestations.url`. Other
 * URLs (homepages, repositories) are not registry hosts and stay as they are.
 */
export function fileHostsIn(body: string): Set<string> {
  const urls: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    for (const m of body.matchAll(/\s(?:href|data-provenance)\s*=\s*["']([^"']+)["']/gi)) urls.push(m[1]!);
  }
  if (isRecord(doc) && Array.isArray(doc['files'])) {
    for (const file of doc['files']) if (isRecord(file)) urls.push(String(file['url'] ?? ''), String(file['provenance'] ?? ''));
  }
  if (isRecord(doc) && isRecord(doc['versions'])) {
    for (const manifest of Object.values(doc['versions'])) {
      const dist = isRecord(manifest) ? manifest['dist'] : undefined;
      if (!isRecord(dist)) continue;
      urls.push(String(dist['tarball'] ?? ''));
      if (isRecord(dist['attestations'])) urls.push(String(dist['attestations']['url'] ?? ''));
    }
  }
  const hosts = new Set<string>();
  for (const url of urls) for (const host of urlHostsIn(url)) hosts.add(host);
  return hosts;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
