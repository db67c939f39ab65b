import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';

export interface BuiltDistribution {
  filename: string;
  bytes: Buffer;
  sha256: string;
  /** The METADATA inside a wheel (PEP 658 body); undefined for sdists. */
  metadata?: Buffer;
}

export interface DistributionSpec {
  name: string;
  version: string;
  requiresPython?: string;
  requiresDist?: string[];
  summary?: string;
  /** The long description (the METADATA body) and its Description-Content-Type. */
  description?: string;
  descriptionContentType?: string;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

/** Core Metadata 2.1 text for a spec. */
export function coreMetadata(spec: DistributionSpec): Buffer {
  const lines = ['Metadata-Version: 2.1', `Name: ${spec.name}`, `Version: ${spec.version}`];
  if (spec.requiresPython) lines.push(`Requires-Python: ${spec.requiresPython}`);
  for (const req of spec.requiresDist ?? []) lines.push(`Requires-Dist: ${req}`);
  if (spec.summary) lines.push(`Summary: ${spec.summary}`);
  if (spec.descriptionContentType) lines.push(`Description-Content-Type: ${spec.descriptionContentType}`);
  return Buffer.from(`${lines.join('\n')}\n\n${spec.description ?? ''}`);
}

/** A minimal but valid wheel (stored zip with METADATA, WHEEL, RECORD and a module). */
export function makeWheel(spec: DistributionSpec): BuiltDistribution {
  const dist = spec.name.replace(/[-_.]+/g, '_');
  const info = `${dist}-${spec.version}.dist-info`;
  const metadata = coreMetadata(spec);
  const bytes = zipStored([
    [`${dist}/__init__.py`, Buffer.from(`VERSION = "${spec.version}"\n`)],
    [`${info}/METADATA`, metadata],
    [`${info}/WHEEL`, Buffer.from('Wheel-Version: 1.0\nGenerator: pypi-testing\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n')],
    [`${info}/RECORD`, Buffer.from('')],
  ]);
  return { filename: `${dist}-${spec.version}-py3-none-any.whl`, bytes, sha256: sha256Hex(bytes), metadata };
}

/** A gzip "sdist" (not a full tar; enough for the upload checks that look at the gzip header). */
export function makeSdist(spec: DistributionSpec): BuiltDistribution {
  const dist = spec.name.replace(/[-_.]+/g, '_');
  const bytes = gzipSync(new Uint8Array(coreMetadata(spec)));
  return { filename: `${dist}-${spec.version}.tar.gz`, bytes, sha256: sha256Hex(bytes) };
}

const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

/** A zip with stored (uncompressed) entries, as wheels may be (protocols §2.6); fixed mtime, reproducible bytes. */
export function zipStored(entries: Array<[string, Buffer]>): Buffer {
  const files = Object.fromEntries(entries.map(([name, data]) => [name, new Uint8Array(data)]));
  return Buffer.from(zipSync(files, { level: 0, mtime: ZIP_MTIME }));
}
