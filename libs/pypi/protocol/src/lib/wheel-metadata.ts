import { normalizeProjectName } from './normalize-project-name';
import { sameVersion } from '@registry/shared-pep440';
import { listZipEntries, readZipEntry, ZipFormatError, type RandomAccessSource } from './zip-reader';

const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/**
 * The `.dist-info/METADATA` of a wheel: what PEP 658 serves as `<file>.metadata`. The wheel must
 * have exactly one such file at top level, in a `.dist-info` directory named after the project
 * (binary distribution format spec); otherwise the wheel is refused (ZipFormatError).
 */
export async function readWheelMetadata(source: RandomAccessSource, project: string): Promise<Buffer> {
  const entries = await listZipEntries(source);
  const candidates = entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
  const wanted = normalizeProjectName(project);
  const matching = candidates.filter((e) => normalizeProjectName(e.name.split('-')[0] ?? '') === wanted);
  const [entry] = matching;
  if (entry === undefined || matching.length > 1) {
    throw new ZipFormatError(`wheel must contain exactly one ${wanted} .dist-info/METADATA (found ${candidates.length})`);
  }
  if (!entries.some((e) => e.name === entry.name.replace(/METADATA$/, 'WHEEL'))) {
    throw new ZipFormatError('wheel has no .dist-info/WHEEL');
  }
  return readZipEntry(source, entry, MAX_METADATA_BYTES);
}

/** First value of a Core Metadata header (RFC 822 style; the body after the blank line is ignored). */
export function coreMetadataField(metadata: Buffer | string, field: string): string | undefined {
  const text = typeof metadata === 'string' ? metadata : metadata.toString('utf8');
  const headerBlock = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const wanted = field.toLowerCase();
  for (const line of headerBlock.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/**
 * Why a wheel's METADATA cannot be served as this file's PEP 658 metadata, or undefined when it can: its `Name`
 * must normalize to the project and its `Version` be the filename's version (PEP 440 normalized), or the index
 * would tell resolvers another project's dependencies (protocols §2.4).
 */
export function wheelMetadataMismatch(metadata: Buffer, expected: { project: string; version: string }): string | undefined {
  const name = coreMetadataField(metadata, 'Name');
  const version = coreMetadataField(metadata, 'Version');
  if (name === undefined || version === undefined) return 'the wheel METADATA has no Name or Version';
  if (normalizeProjectName(name) !== normalizeProjectName(expected.project)) {
    return `the wheel METADATA names project ${JSON.stringify(name)}, not ${JSON.stringify(expected.project)}`;
  }
  if (!sameVersion(version, expected.version)) return `the wheel METADATA names version ${JSON.stringify(version)}, not ${JSON.stringify(expected.version)}`;
  return undefined;
}
