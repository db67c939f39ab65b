import { applyProjectStatus, integrityProvenancePath, proxiedUpstreamFile, type DistributionFile, type ProjectPage } from '@registry/pypi-protocol';
import type { PrivateProject } from './private-projects';

export interface MergeInput {
  name: string;
  privateProject: PrivateProject | undefined;
  upstreamPage: ProjectPage | undefined;
  /** Builds our own URL for a file of this project (protocols §1.12: every file URL is rewritten). */
  fileUrl: (filename: string) => string;
  /** The base URL clients reach this index at, for Integrity API URLs (protocols §11); '' writes them host-relative. */
  baseUrl: string;
}

/**
 * One page from private uploads and (if any) the upstream page. Private files win a filename clash.
 * Upstream files without a sha256 are not offered: we could not verify them before caching. Every provenance
 * URL points at our Integrity API; the project status is the private project's, else the upstream's, and a
 * quarantined page offers no files (PEP 792).
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
      provenance: record.provenanceSha256
        ? `${input.baseUrl}${integrityProvenancePath({ project: input.name, version: record.version, filename: record.filename })}`
        : null,
    });
  }
  const taken = new Set(files.map((f) => f.filename));
  for (const file of input.upstreamPage?.files ?? []) {
    if (taken.has(file.filename) || file.hashes['sha256'] === undefined) continue;
    taken.add(file.filename);
    files.push(proxiedUpstreamFile(file, { project: input.name, fileUrl: input.fileUrl(file.filename), baseUrl: input.baseUrl }));
  }
  for (const version of input.upstreamPage?.versions ?? []) versions.add(version);
  files.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  const status = input.privateProject?.status ?? input.upstreamPage?.projectStatus;
  // The upstream's serial says when its page changed; a page with private files is ours, and has none.
  const serial = Object.keys(input.privateProject?.files ?? {}).length === 0 ? input.upstreamPage?.lastSerial : undefined;
  return applyProjectStatus({
    name: input.name, versions: [...versions], files, ...(status === undefined ? {} : { projectStatus: status }), ...(serial === undefined ? {} : { lastSerial: serial }),
  });
}
