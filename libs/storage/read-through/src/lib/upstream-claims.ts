import { AppError, isAppError } from '@registry/shared-errors';

/**
 * A list of names an admin lets be claimed although the upstream serves them (`NPM_CLAIMABLE_NAMES`,
 * `PYPI_CLAIMABLE_NAMES`): exact names or `*` wildcards (`acme-*`, `@acme/*`), compared after the registry's own
 * name normalization.
 */
export function claimableNames(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map((p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (name) => regexes.some((r) => r.test(name));
}

export interface ClaimCheck {
  /** The registry's one UpstreamDocumentCache; undefined in private-only mode (every name is free). */
  upstreamDocs: { get(name: string): Promise<{ document: unknown }> } | undefined;
  /** Names an admin allowed to claim (the claimable list, private scopes, merge-allowlisted names). */
  mayClaim: (name: string) => boolean;
  /** The variable an admin sets to allow a name, for the refusal's message. */
  setting: string;
}

/**
 * Dependency-confusion protection hides the upstream behind a private name, so the first private publish or
 * upload of a name would replace the public package for every client. Before a name is first claimed here, the
 * upstream is asked (through the cache; an upstream 404 = free): a name it serves is refused with 403 unless an
 * admin allowed it, and when the upstream cannot be asked the claim is refused with 503 (fail closed).
 * Callers skip this for names already owned here: new versions of one's own package never ask the upstream.
 */
export async function assertClaimable(name: string, check: ClaimCheck): Promise<void> {
  if (check.upstreamDocs === undefined || check.mayClaim(name)) return;
  let served: boolean;
  try {
    served = (await check.upstreamDocs.get(name)).document !== undefined;
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') served = false;
    else {
      throw new AppError('unavailable', `cannot claim ${name} now: the upstream could not be asked whether it serves that name, `
        + 'and a name is only claimed once the upstream says it is free; try again later', { cause: err, headers: { 'retry-after': '30' } });
    }
  }
  if (served) {
    throw new AppError('forbidden', `${name} is served by the upstream registry; publishing it here would hide the public `
      + `package from every client. An admin can allow this name with ${check.setting}`);
  }
}
