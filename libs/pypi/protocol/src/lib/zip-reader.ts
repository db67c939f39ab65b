import { inflateRawSync } from 'node:zlib';

/** Random access to an archive's bytes (a file handle, a buffer, a store range). */
export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** Thrown for anything that is not a readable zip (the upload route answers 400). */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/**
 * Lists a zip's entries from its central directory (protocols §2.6). Only the end of the
 * file and the directory are read, so a large wheel costs two small reads. Zip64 is refused.
 */
export async function listZipEntries(source: RandomAccessSource): Promise<ZipEntry[]> {
  if (source.size < EOCD_MIN) throw new ZipFormatError('too small to be a zip archive');
  const tailLength = Math.min(source.size, EOCD_MIN + MAX_COMMENT);
  const tail = await source.read(source.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
  if (dirOffset + dirSize > source.size) throw new ZipFormatError('central directory out of bounds');
  const dir = await source.read(dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > dir.length || dir.readUInt32LE(pos) !== CENTRAL_SIGNATURE) throw new ZipFormatError('corrupt central directory');
    const nameLength = dir.readUInt16LE(pos + 28);
    entries.push({
      method: dir.readUInt16LE(pos + 10),
      compressedSize: dir.readUInt32LE(pos + 20),
      uncompressedSize: dir.readUInt32LE(pos + 24),
      localHeaderOffset: dir.readUInt32LE(pos + 42),
      name: dir.toString('utf8', pos + 46, pos + 46 + nameLength),
    });
    pos += 46 + nameLength + dir.readUInt16LE(pos + 30) + dir.readUInt16LE(pos + 32);
  }
  return entries;
}

/** The uncompressed bytes of one entry (stored or deflated), refusing entries larger than `maxBytes`. */
export async function readZipEntry(source: RandomAccessSource, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw new ZipFormatError(`${entry.name} is larger than ${maxBytes} bytes`);
  const header = await source.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError(`bad local header for ${entry.name}`);
  const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataOffset + entry.compressedSize > source.size) throw new ZipFormatError(`${entry.name} runs past the end of the archive`);
  const raw = await source.read(dataOffset, entry.compressedSize);
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
  try {
    return inflateRawSync(new Uint8Array(raw), { maxOutputLength: maxBytes });
  } catch (err) {
    throw new ZipFormatError(`${entry.name}: ${(err as Error).message}`);
  }
}

/** A RandomAccessSource over an in-memory buffer (tests, small archives). */
export const bufferSource = (buffer: Buffer): RandomAccessSource => ({
  size: buffer.length,
  read: async (offset, length) => buffer.subarray(offset, offset + length),
});
