import { parseDistributionFilename, type DistributionFile, type ProjectPage } from '@registry/pypi-protocol';
import type { ServedProject } from '@registry/pypi-service';
import { comparePep440 } from '@registry/shared-pep440';
import { projectHref, type CoreMetadataView, type HeldVersion, type PypiFileRow, type PypiProjectView, type PypiVersionRow } from '@registry/web-console';

/** Versions listed on a project page unless all are asked for: a 3,000-version project stays one fast page. */
export const VERSIONS_SHOWN = 50;

interface Grouped {
  rows: PypiVersionRow[];
  filesOf: Map<string, DistributionFile[]>;
}

/**
 * A project's page from what installers are served now (the firewall-filtered page) and the newest release's
 * core metadata: versions newest first (PEP 440 order), the newest one's files, the held files with their reasons.
 */
export function projectViewOf(served: ServedProject, opts: { indexUrl: string; allVersions: boolean; metadata?: CoreMetadataView; metadataNote?: string }): PypiProjectView {
  const { page } = served;
  const { rows, filesOf } = grouped(page);
  const newest = newestOf(rows);
  const shown = opts.allVersions ? rows : rows.slice(0, VERSIONS_SHOWN);
  const status = page.projectStatus && page.projectStatus.status !== 'active' ? page.projectStatus : undefined;
  return {
    name: page.name, origin: served.origin, versions: shown, versionCount: rows.length,
    ...(shown.length < rows.length ? { allVersionsHref: projectHref(page.name, 'versions=all') } : {}),
    ...(newest ? { latest: { version: newest.version, files: (filesOf.get(newest.version) ?? []).map(fileRow) } } : {}),
    ...(opts.metadata ? { metadata: opts.metadata } : {}),
    ...(opts.metadataNote ? { metadataNote: opts.metadataNote } : {}),
    held: heldFiles(served),
    install: [
      { client: 'pip', command: `pip install --index-url ${opts.indexUrl}/simple/ ${page.name}` },
      { client: 'uv', command: `uv add --default-index ${opts.indexUrl}/simple/ ${page.name}` },
      { client: 'poetry', command: `poetry source add --priority=primary registry ${opts.indexUrl}/simple/ && poetry add ${page.name}` },
    ],
    ...(status ? { status: { status: status.status, ...(status.reason ? { reason: status.reason } : {}) } } : {}),
  };
}

/** The release whose metadata the page shows: the highest version with a file not yanked (else the highest). */
export function newestOf(rows: readonly PypiVersionRow[]): PypiVersionRow | undefined {
  return rows.find((r) => r.fileCount > 0 && r.yanked === false) ?? rows.find((r) => r.fileCount > 0);
}

/** The newest release's file whose PEP 658 metadata the page reads: a wheel's (an sdist has none here). */
export function metadataFileOf(served: ServedProject): { file: DistributionFile; version: string } | undefined {
  const { rows, filesOf } = grouped(served.page);
  const newest = newestOf(rows);
  const file = newest && (filesOf.get(newest.version) ?? []).find((f) => f.coreMetadata !== undefined && f.coreMetadata !== false);
  return file && newest ? { file, version: newest.version } : undefined;
}

const groupedByPage = new WeakMap<ProjectPage, Grouped>();

/** Files grouped by version and the versions sorted, once per served page object (the service keeps one per change). */
function grouped(page: ProjectPage): Grouped {
  let g = groupedByPage.get(page);
  if (g === undefined) {
    g = group(page);
    groupedByPage.set(page, g);
  }
  return g;
}

function group(page: ProjectPage): Grouped {
  const filesOf = new Map<string, DistributionFile[]>();
  for (const v of page.versions) filesOf.set(v, []);
  for (const f of page.files) {
    const version = parseDistributionFilename(f.filename, page.name)?.version;
    if (version === undefined) continue;
    const list = filesOf.get(version);
    if (list) list.push(f);
    else filesOf.set(version, [f]);
  }
  const rows = [...filesOf].map(([version, files]): PypiVersionRow => {
    const times = files.map((f) => f.uploadTime).filter((t): t is string => t !== null).sort();
    const allYanked = files.length > 0 && files.every((f) => f.yanked !== false);
    return { version, fileCount: files.length, yanked: allYanked ? (files[0]?.yanked as string) : false, ...(times[0] ? { uploadedAt: times[0] } : {}) };
  });
  rows.sort((a, b) => comparePep440(b.version, a.version) ?? b.version.localeCompare(a.version));
  return { rows, filesOf };
}

function fileRow(f: DistributionFile): PypiFileRow {
  const sha256 = f.hashes['sha256'];
  return {
    filename: f.filename, url: f.url, yanked: f.yanked,
    ...(f.size !== null ? { size: f.size } : {}), ...(sha256 ? { sha256 } : {}),
    ...(f.uploadTime ? { uploadedAt: f.uploadTime } : {}), ...(f.requiresPython ? { requiresPython: f.requiresPython } : {}),
  };
}

function heldFiles(served: ServedProject): HeldVersion[] {
  return [...served.held].map(([filename, hold]) => ({
    version: filename,
    hold: {
      policy: hold.policy, message: hold.message,
      ...(hold.availableAt !== undefined ? { availableAt: new Date(hold.availableAt).toISOString() } : {}),
      ...(hold.advisory ? { advisory: hold.advisory } : {}),
    },
  }));
}
