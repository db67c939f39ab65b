/** One distribution file as the simple API describes it (PEP 503/592/658/691/700/714). */
export interface DistributionFile {
  filename: string;
  /** Where clients fetch it: our own path once rewritten; the upstream URL while parsing. */
  url: string;
  /** hash name → lowercase hex; always includes sha256 for files we serve. */
  hashes: Record<string, string>;
  requiresPython: string | null;
  /** PEP 658/714: false = no metadata file, true = present with unknown hash, else its hashes. */
  coreMetadata: boolean | Record<string, string>;
  size: number | null;
  /** ISO-8601 UTC (PEP 700). */
  uploadTime: string | null;
  /** PEP 592: false, or the reason (possibly empty) when yanked. */
  yanked: false | string;
}

/** A project detail page, independent of its serialization. */
export interface ProjectPage {
  /** Normalized name (PEP 503). */
  name: string;
  /** PEP 700 `versions`: every file's version, plus versions without files. */
  versions: string[];
  files: DistributionFile[];
}

/** The simple API version we implement: 1.1 adds PEP 700 (`versions`, `size`, `upload-time`). */
export const SIMPLE_API_VERSION = '1.1';
