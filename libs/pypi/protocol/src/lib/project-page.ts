import type { ProjectStatus } from './project-status';

/**
 * One distribution file as the simple API describes it (PEP 503/592/658/691/700/714/740). An optional field
 * that is undefined means "the source said nothing": it is rendered as nothing, never as a default.
 */
export interface DistributionFile {
  filename: string;
  /** Where clients fetch it: our own path once rewritten; the upstream URL while parsing. */
  url: string;
  /** hash name → lowercase hex; always includes sha256 for files we serve. */
  hashes: Record<string, string>;
  requiresPython: string | null;
  /** PEP 658/714: false = no metadata file, true = present with unknown hash, else its hashes; undefined = not said. */
  coreMetadata?: boolean | Record<string, string> | undefined;
  size: number | null;
  /** ISO-8601 UTC (PEP 700). */
  uploadTime: string | null;
  /** PEP 592: false, or the reason (possibly empty) when yanked. */
  yanked: false | string;
  /** PEP 740 (API 1.3): absolute URL of the file's provenance object, null = none; undefined = not said. */
  provenance?: string | null | undefined;
}

/** A project detail page, independent of its serialization. */
export interface ProjectPage {
  /** Normalized name (PEP 503). */
  name: string;
  /** PEP 700 `versions`, as the source computed it: release versions, which filenames do not always show. */
  versions: string[];
  files: DistributionFile[];
  /**
   * PyPI's change serial of the project (`meta._last-serial`, the `X-PyPI-Last-Serial` header, the HTML
   * `<!--SERIAL n-->` trailer), kept as the source typed it; undefined when the source gave none.
   */
  lastSerial?: number | string | undefined;
  /** PEP 792 (API 1.4) project status marker; undefined = not said (clients read that as `active`). */
  projectStatus?: ProjectStatus | undefined;
}

/** The simple API version we implement as a baseline: 1.1 adds PEP 700 (`versions`, `size`, `upload-time`). */
export const SIMPLE_API_VERSION = '1.1';

/**
 * The API version a page needs, and so advertises: 1.4 with a project status (PEP 792), 1.3 with provenance
 * (PEP 740), else 1.1. Clients warn only on a higher major, so a higher minor is always safe to send.
 */
export function simpleApiVersionOf(page: Pick<ProjectPage, 'files' | 'projectStatus'>): string {
  if (page.projectStatus !== undefined) return '1.4';
  if (page.files.some((f) => f.provenance !== undefined)) return '1.3';
  return SIMPLE_API_VERSION;
}

/** The `X-PyPI-Last-Serial` header value for a page, when it has a serial. */
export const lastSerialHeader = (page: Pick<ProjectPage, 'lastSerial'>): string | undefined =>
  page.lastSerial === undefined ? undefined : String(page.lastSerial);
