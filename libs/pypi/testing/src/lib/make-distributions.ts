import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

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
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

/** Core Metadata 2.1 text for a spec. */
export function coreMetadata(spec: DistributionSpec): Buffer {
  const lines = ['Metadata-Version: 2.1', `Name: ${spec.name}`, `Version: ${spec.version}`];
  if (spec.requiresPython) lines.push(`Requires-Python: ${spec.requiresPython}`);
  for (const req of spec.requiresDist ?? []) lines.push(`Requires-Dist: ${req}`);
  return Buffer.from(`${lines.join('\n')}\n\n`);
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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = (CRC_TABLE[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip with stored (uncompressed) entries: local headers, central directory, end record (protocols §2.6). */
export function zipStored(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return concat([...locals, dir, end]);
}

/** Buffer.concat, typed around the @types/node 20 / TS 5.9 Uint8Array generic mismatch. */
const concat = (parts: Buffer[]): Buffer => Buffer.concat(parts as unknown as Uint8Array[]);
