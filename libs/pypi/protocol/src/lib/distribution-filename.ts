import { normalizeProjectName } from './normalize-project-name';

export type DistributionKind = 'wheel' | 'sdist';

export interface DistributionFilename {
  kind: DistributionKind;
  /** The name part as written in the filename (wheels escape "-" as "_"). */
  project: string;
  version: string;
}

/** sdist extensions PyPI ever accepted; new uploads should be `.tar.gz` (PEP 625). */
const SDIST_EXTENSIONS = ['.tar.gz', '.zip', '.tar.bz2', '.tgz', '.tar.xz'] as const;

/**
 * Splits a distribution filename into project, version and kind (protocols §1.2). For sdists the
 * version cannot be found by splitting on "-" (legacy versions like `1.0-1`), so when the project is
 * known the prefix that normalizes to it is stripped; otherwise the first "-" before a digit splits.
 */
export function parseDistributionFilename(filename: string, project?: string): DistributionFilename | undefined {
  if (filename.endsWith('.whl')) return parseWheel(filename);
  const ext = SDIST_EXTENSIONS.find((e) => filename.toLowerCase().endsWith(e));
  if (ext === undefined) return undefined;
  const stem = filename.slice(0, -ext.length);
  if (project !== undefined) {
    const wanted = normalizeProjectName(project);
    for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
      if (normalizeProjectName(stem.slice(0, i)) === wanted) return sdist(stem.slice(0, i), stem.slice(i + 1));
    }
    return undefined;
  }
  const split = /-(?=\d)/.exec(stem);
  return split === null ? undefined : sdist(stem.slice(0, split.index), stem.slice(split.index + 1));
}

function sdist(project: string, version: string): DistributionFilename | undefined {
  return project && version ? { kind: 'sdist', project, version } : undefined;
}

/** `{dist}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (binary distribution format spec). */
function parseWheel(filename: string): DistributionFilename | undefined {
  const parts = filename.slice(0, -'.whl'.length).split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  const [project, version] = parts;
  if (!project || !version || parts.some((p) => p === '')) return undefined;
  return { kind: 'wheel', project, version };
}

/** True when the filename's name and version parts match the given project and version (normalized). */
export function filenameMatches(filename: DistributionFilename, project: string, version: string): boolean {
  return (
    normalizeProjectName(filename.project) === normalizeProjectName(project) &&
    normalizeVersionLoosely(filename.version) === normalizeVersionLoosely(version)
  );
}

/** Case-insensitive, "_" and "-" as in wheel filenames, a leading "v" ignored: enough to compare a filename to its form field. */
function normalizeVersionLoosely(version: string): string {
  return version.toLowerCase().replace(/^v/, '').replace(/_/g, '-');
}

/**
 * Two distribution filenames name one file when they differ only in case (protocols §2.4): an index must not
 * hold both (case-insensitive stores and clients would see one), and a deleted filename stays banned in any case.
 */
export const sameDistributionFilename = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
