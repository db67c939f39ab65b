import { indexReleases, type Firewall, type ReleaseIndex, type Review } from '@registry/policy-firewall';
import { parseDistributionFilename, type ProjectPage } from '@registry/pypi-protocol';

/**
 * The firewall's release index of a merged page: its upstream files (private uploads are exempt), each dated
 * by its own `upload-time` (PEP 700, protocols §17), so a wheel added late to an old version waits its own cooldown.
 */
export function indexPage(page: ProjectPage, privateFiles: ReadonlySet<string>): ReleaseIndex {
  const releases = [];
  for (const file of page.files) {
    if (privateFiles.has(file.filename)) continue;
    const publishedAt = file.uploadTime === null ? NaN : Date.parse(file.uploadTime);
    releases.push({
      key: file.filename,
      version: parseDistributionFilename(file.filename, page.name)?.version,
      publishedAt: Number.isNaN(publishedAt) ? undefined : publishedAt,
      // PEP 740: a provenance URL means the upstream holds attestations for this file.
      attested: typeof file.provenance === 'string',
    });
  }
  return indexReleases('pypi', page.name, releases);
}

/**
 * The page without the held files; `versions` (PEP 700) recomputed: a version whose every file is held goes,
 * one with no files at all stays (it never had anything to hold).
 */
export function filterPage(page: ProjectPage, review: Review): ProjectPage {
  const files = page.files.filter((f) => !review.held.has(f.filename));
  const withFiles = new Set<string>();
  const stillServed = new Set<string>();
  for (const f of page.files) {
    const version = parseDistributionFilename(f.filename, page.name)?.version;
    if (version === undefined) continue;
    withFiles.add(version);
    if (!review.held.has(f.filename)) stillServed.add(version);
  }
  return { ...page, files, versions: page.versions.filter((v) => !withFiles.has(v) || stillServed.has(v)) };
}

/** A cached page entry's firewall state: the index, and the last filtered page by its review key. */
export interface PagePolicy {
  index: ReleaseIndex;
  filtered?: { key: string; page: ProjectPage; rendered: Partial<Record<string, Buffer>> };
}

export const reviewPage = (firewall: Firewall, policy: PagePolicy): Review => firewall.review(policy.index);
