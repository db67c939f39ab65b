import type { DistributionFile, ProjectPage } from '@registry/pypi-protocol';
import type { PrivateProject } from './private-projects';

export interface MergeInput {
  name: string;
  privateProject: PrivateProject | undefined;
  upstreamPage: ProjectPage | undefined;
  /** Builds our own URL for a file of this project (protocols §1.12: every file URL is rewritten). */
  fileUrl: (filename: string) => string;
  /** Upstream file URLs outside the configured hosts are never offered. */
  isAllowedUpstreamUrl: (url: string) => boolean;
}

/**
 * One page from private uploads and (if any) the upstream page. Private files win a filename clash.
 * Upstream files without a sha256 are not offered: we could not verify them before caching.
 */
export function mergeProjectPage(input: MergeInput): ProjectPage {
  const files: DistributionFile[] = [];
  const versions = new Set<string>();
  for (const record of Object.values(input.privateProject?.files ?? {})) {
    versions.add(record.version);
    files.push({
      filename: record.filename,
      url: input.fileUrl(record.filename),
      hashes: { sha256: record.sha256 },
      requiresPython: record.requiresPython,
      coreMetadata: record.metadataSha256 === null ? false : { sha256: record.metadataSha256 },
      size: record.size,
      uploadTime: record.uploadTime,
      yanked: record.yanked,
    });
  }
  const taken = new Set(files.map((f) => f.filename));
  for (const file of input.upstreamPage?.files ?? []) {
    const sha256 = file.hashes['sha256'];
    if (taken.has(file.filename) || sha256 === undefined || !input.isAllowedUpstreamUrl(file.url)) continue;
    taken.add(file.filename);
    // A metadata file is offered only with a hash we can verify it against (PEP 658).
    const coreMetadata = typeof file.coreMetadata === 'object' && file.coreMetadata['sha256'] ? { sha256: file.coreMetadata['sha256'] } : false;
    files.push({ ...file, url: input.fileUrl(file.filename), hashes: { sha256 }, coreMetadata });
  }
  for (const version of input.upstreamPage?.versions ?? []) versions.add(version);
  files.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  return { name: input.name, versions: [...versions], files };
}
