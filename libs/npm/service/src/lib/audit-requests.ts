import { AppError } from '@registry/shared-errors';
import type { UpstreamDocumentCache } from '@registry/storage-read-through';
import {
  filterLegacyAuditBody, legacyAuditNames, mergeBulkAdvisories, parseBulkAdvisoryRequest, parseBulkAdvisoryResponse, splitBulkAdvisoryRequest,
  type BulkAdvisoryResponse, type Packument,
} from '@registry/npm-protocol';
import { mayAskUpstream, type PackageReader, type UpstreamPolicy } from './package-reader';
import type { NpmUpstream, PrivateAdvisories } from './ports';

export interface AuditAnswer {
  status: number;
  body: Buffer;
  contentType: string;
  /** The upstream's Allow header when it answered 405. */
  allow?: string;
  /** How many of the request's packages were kept from the upstream (the audit event's `extra.withheld`). */
  withheld: number;
}

export interface AuditRequestsOptions {
  reader: PackageReader;
  upstream: NpmUpstream | undefined;
  upstreamDocs: UpstreamDocumentCache<Packument> | undefined;
  policy: UpstreamPolicy;
  privateAdvisories: PrivateAdvisories | undefined;
}

/** More distinct packages than any real project installs; each one costs a store lookup or two. */
const MAX_AUDITED_PACKAGES = 20_000;
const NAME_CHECK_BATCH = 32;

/**
 * `npm audit` without leaks (protocols §5.2): the request forwarded upstream names only packages the upstream
 * is known to serve (its packument was fetched through us, and the dependency-confusion policy lets us ask
 * about the name), so private names and names of other registries never leave. Withheld packages of a bulk
 * request are answered by the local advisory source, when there is one, and the two answers are merged.
 */
export class AuditRequests {
  constructor(private readonly opts: AuditRequestsOptions) {}

  async forward(path: string, body: unknown): Promise<AuditAnswer | undefined> {
    return path.endsWith('/bulk') ? this.bulk(path, body) : this.legacy(path, body);
  }

  private async bulk(path: string, body: unknown): Promise<AuditAnswer | undefined> {
    const request = parseBulkAdvisoryRequest(body);
    const allowed = await this.upstreamNames(Object.keys(request));
    const { upstream: forwarded, withheld } = splitBulkAdvisoryRequest(request, (name) => allowed.has(name));
    const withheldCount = Object.keys(withheld).length;
    const { upstream, privateAdvisories } = this.opts;
    if (upstream === undefined && privateAdvisories === undefined) return undefined;
    const [remote, local] = await Promise.all([
      upstream !== undefined && Object.keys(forwarded).length > 0 ? this.send(upstream, path, forwarded) : undefined,
      privateAdvisories !== undefined && withheldCount > 0 ? privateAdvisories.bulk(withheld) : ({} as BulkAdvisoryResponse),
    ]);
    // An upstream refusal is passed on as it came (npm reports it), as before this registry had anything to add.
    if (remote !== undefined && remote.status !== 200) return { ...remote, withheld: withheldCount };
    const merged = mergeBulkAdvisories(remote === undefined ? {} : parseBulkAdvisoryResponse(parseJson(remote.body)), parseBulkAdvisoryResponse(local));
    return { status: 200, body: Buffer.from(JSON.stringify(merged)), contentType: 'application/json', withheld: withheldCount };
  }

  private async legacy(path: string, body: unknown): Promise<AuditAnswer | undefined> {
    const names = legacyAuditNames(body);
    const { upstream } = this.opts;
    if (upstream === undefined) return undefined;
    const allowed = await this.upstreamNames([...names]);
    const filtered = filterLegacyAuditBody(body as Record<string, unknown>, (name) => allowed.has(name));
    return { ...(await this.send(upstream, path, filtered)), withheld: [...names].filter((n) => !allowed.has(n)).length };
  }

  private async send(upstream: NpmUpstream, path: string, body: unknown) {
    try {
      return await upstream.forwardAudit(path, body);
    } catch (err) {
      throw new AppError('upstream_unavailable', `the audit service of the upstream registry is unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The names the upstream may hear about, asking nothing of it: allowed by the policy, not private, already fetched. */
  private async upstreamNames(names: string[]): Promise<Set<string>> {
    if (names.length > MAX_AUDITED_PACKAGES) throw new AppError('invalid_request', `an audit request may name at most ${MAX_AUDITED_PACKAGES} packages`);
    const allowed = new Set<string>();
    const docs = this.opts.upstreamDocs;
    if (docs === undefined) return allowed;
    for (let i = 0; i < names.length; i += NAME_CHECK_BATCH) {
      await Promise.all(names.slice(i, i + NAME_CHECK_BATCH).map(async (name) => {
        if (!mayAskUpstream(name, false, this.opts.policy)) return;
        const isPrivate = (await this.opts.reader.packages.etagOf(name)) !== undefined;
        if (mayAskUpstream(name, isPrivate, this.opts.policy) && (await docs.isKnown(name))) allowed.add(name);
      }));
    }
    return allowed;
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
