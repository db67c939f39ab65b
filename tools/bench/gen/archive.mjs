// The two archive formats the generated packages need: npm's gzipped ustar tarball (package/ prefix, as
// `npm pack` produces; written here, it is one header) and a stored ZIP for wheels (PEP 427), written by fflate.
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';

const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

/** ustar header for one regular file (POSIX.1-1988). */
function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14700000000\0', 136); // fixed mtime: reproducible archives
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write('0', 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** Gzipped tar of `files` ({ path, data }), every path under `package/` like npm pack. */
export function npmTarball(files) {
  const parts = [];
  for (const f of files) {
    parts.push(tarHeader(`package/${f.path}`, f.data.length), f.data);
    const pad = (512 - (f.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 1 });
}

/** ZIP archive with stored entries ({ path, data }); fixed mtime, so the same files give the same bytes. */
export function storedZip(files) {
  const entries = Object.fromEntries(files.map((f) => [f.path, new Uint8Array(f.data)]));
  return Buffer.from(zipSync(entries, { level: 0, mtime: ZIP_MTIME }));
}
