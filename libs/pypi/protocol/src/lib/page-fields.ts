import { parseDistributionFilename } from './distribution-filename';
import { isRecord, lowercaseStringRecord } from './json-values';
import type { DistributionFile } from './project-page';

/** Versions of the files' names, for pages that list no `versions` (HTML, JSON API 1.0). */
export function versionsFromFilenames(files: readonly DistributionFile[], project: string): string[] {
  const versions = new Set<string>();
  for (const file of files) {
    const version = parseDistributionFilename(file.filename, project)?.version;
    if (version !== undefined) versions.add(version);
  }
  return [...versions];
}

/** A metadata value as said: `true`, `false`, or its hashes (an empty hash object still means "present"). */
export function metadataValue(value: unknown): boolean | Record<string, string> {
  if (value === true) return true;
  if (isRecord(value)) {
    const hashes = lowercaseStringRecord(value);
    return Object.keys(hashes).length > 0 ? hashes : true;
  }
  return false;
}
