import { deflateRawSync } from 'node:zlib';
import { zipStored } from '@registry/pypi-testing';
import { coreMetadataField, readWheelMetadata } from './wheel-metadata';
import { bufferSource, readZipEntry, ZipFormatError } from './zip-reader';

const METADATA = Buffer.from('Metadata-Version: 2.1\nName: Acme.Utils\nVersion: 1.0\nRequires-Python: >=3.9\n\nlong description\nName: not-a-header\n');

describe('reading a wheel central directory (PEP 658 extraction)', () => {
  it('finds the .dist-info/METADATA of the project', async () => {
    const wheel = zipStored([
      ['acme_utils/__init__.py', Buffer.from('')],
      ['acme_utils-1.0.dist-info/METADATA', METADATA],
      ['acme_utils-1.0.dist-info/WHEEL', Buffer.from('Wheel-Version: 1.0\n')],
    ]);
    expect((await readWheelMetadata(bufferSource(wheel), 'acme-utils')).toString()).toBe(METADATA.toString());
  });

  it('inflates deflated entries', async () => {
    const text = Buffer.from('hello hello hello');
    const deflated = Buffer.from(deflateRawSync(new Uint8Array(text)));
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    const bytes = Buffer.concat([new Uint8Array(header), new Uint8Array(deflated)]);
    const entry = { name: 'a.txt', method: 8, localHeaderOffset: 0, compressedSize: deflated.length, uncompressedSize: text.length };
    expect((await readZipEntry(bufferSource(bytes), entry, 1024)).toString()).toBe('hello hello hello');
    await expect(readZipEntry(bufferSource(bytes), entry, 4)).rejects.toThrow(ZipFormatError);
  });

  it.each([
    ['not a zip', Buffer.from('definitely not a zip file at all, no sir')],
    ['no METADATA', zipStored([['acme_utils-1.0.dist-info/WHEEL', Buffer.from('')]])],
    ['no WHEEL', zipStored([['acme_utils-1.0.dist-info/METADATA', METADATA]])],
    ['another project', zipStored([['other-1.0.dist-info/METADATA', METADATA], ['other-1.0.dist-info/WHEEL', Buffer.from('')]])],
  ])('refuses %s', async (_what, bytes) => {
    await expect(readWheelMetadata(bufferSource(bytes), 'acme-utils')).rejects.toThrow(ZipFormatError);
  });

  it('reads header fields only, case-insensitively', () => {
    expect(coreMetadataField(METADATA, 'requires-python')).toBe('>=3.9');
    expect(coreMetadataField(METADATA, 'Summary')).toBeUndefined();
  });
});
