import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeAttestation, makeProvenance, makeWheel, SLSA_PREDICATE } from '@registry/pypi-testing';
import type { BuiltPackage } from './support/build-distributions';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess } from './support/python-clients';

const INTEGRITY = { accept: 'application/vnd.pypi.integrity.v1+json' };

/**
 * PEP 740 through the proxy with the real clients (protocols §11): given `<dist>.<kind>.attestation` files among
 * the paths to upload, uv publish sends them by default (`--no-attestations` stops it), twine only with
 * `--attestations`; the proxy keeps them and its Integrity API serves them back. An upstream file's provenance
 * is served byte for byte.
 */
describe('attestations with uv publish and twine', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let token: string;

  beforeAll(async () => {
    world = await createE2eWorld('provenance', process.env);
    proxy = await world.startProxy();
    token = await world.adminToken(proxy);
  });
  afterAll(() => world?.close());

  /** The built files in a directory of their own, each with a publish attestation (and the wheel a SLSA one too). */
  const attestedBuild = async (version: string) => {
    const built = await world.build({ name: 'e2e-attested', version });
    const dir = await world.freshDir(`dist-${version}`);
    const attestations = new Map<string, Array<Record<string, unknown>>>();
    for (const file of [built.wheel, built.sdist]) {
      const target = path.join(dir, path.basename(file));
      await copyFile(file, target);
      const subject = { filename: path.basename(file), sha256: createHash('sha256').update(new Uint8Array(await readFile(file))).digest('hex') };
      const list = file === built.wheel ? [makeAttestation(subject), makeAttestation(subject, SLSA_PREDICATE)] : [makeAttestation(subject)];
      attestations.set(subject.filename, list);
      await writeFile(`${target}.publish.attestation`, JSON.stringify(list[0]));
      if (list[1]) await writeFile(`${target}.slsa.attestation`, JSON.stringify(list[1]));
    }
    const copied: BuiltPackage = { wheel: path.join(dir, path.basename(built.wheel)), sdist: path.join(dir, path.basename(built.sdist)) };
    const attestationFiles = [copied.wheel, copied.sdist].map((f) => `${f}.publish.attestation`).concat(`${copied.wheel}.slsa.attestation`);
    return { built: copied, attestations, attestationFiles };
  };
  const provenanceOf = async (version: string, filename: string) => {
    const res = await fetch(`${proxy.url}/integrity/e2e-attested/${version}/${filename}/provenance`, { headers: INTEGRITY });
    return res.status === 200 ? ((await res.json()) as { attestation_bundles: Array<{ attestations: unknown[] }> }) : res.status;
  };
  // Clients may reorder the list and the keys of each attestation; its statement (which names its type) is its identity.
  const statementOf = (a: unknown) => (a as { envelope: { statement: string } }).envelope.statement;
  const sortedByType = (list: unknown[]) => [...list].sort((a, b) => statementOf(a).localeCompare(statementOf(b)));

  it('uv publish sends the attestation files given with the distributions, by default', async () => {
    const { built, attestations, attestationFiles } = await attestedBuild('1.0.0');
    const home = await world.freshDir('uv');
    const args = ['publish', '--publish-url', `${proxy.url}/legacy/`, '--token', token, built.wheel, built.sdist, ...attestationFiles];
    expectSuccess(await world.clients.run(world.clients.bin('uv'), args, { home }), 'uv publish', proxy.output());
    for (const [filename, expected] of attestations) {
      const provenance = await provenanceOf('1.0.0', filename);
      expect(typeof provenance === 'object' ? sortedByType(provenance.attestation_bundles[0]!.attestations) : provenance).toEqual(sortedByType(expected));
    }
    const page = await (await fetch(`${proxy.url}/simple/e2e-attested/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { files: Array<{ filename: string; provenance: string | null }> };
    expect(page.files.map((f) => f.provenance)).toEqual(page.files.map((f) => `/integrity/e2e-attested/1.0.0/${f.filename}/provenance`));
  });

  it('twine sends them only with --attestations', async () => {
    const plain = await attestedBuild('2.0.0');
    const twine = async (args: string[], files: BuiltPackage, attestationFiles: string[]) => world.clients.run(world.clients.bin('twine'), [
      'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`, '--username', '__token__', '--password', token,
      ...args, files.wheel, files.sdist, ...attestationFiles,
    ], { home: await world.freshDir('twine') });
    // Given the attestation files but not the flag, twine uploads the distributions alone.
    expectSuccess(await twine([], plain.built, plain.attestationFiles), 'twine upload', proxy.output());
    expect(await provenanceOf('2.0.0', path.basename(plain.built.wheel))).toBe(404);

    const attested = await attestedBuild('3.0.0');
    expectSuccess(await twine(['--attestations'], attested.built, attested.attestationFiles), 'twine upload --attestations', proxy.output());
    for (const [filename, expected] of attested.attestations) {
      const provenance = await provenanceOf('3.0.0', filename);
      expect(typeof provenance === 'object' ? sortedByType(provenance.attestation_bundles[0]!.attestations) : provenance).toEqual(sortedByType(expected));
    }
  });

  it('serves an upstream file\'s provenance byte for byte', async () => {
    const wheel = makeWheel({ name: 'upstream-attested', version: '1.0.0' });
    const bytes = Buffer.from(`${JSON.stringify(makeProvenance([makeAttestation(wheel)]), null, 3)}\n`);
    world.upstream.setProject('upstream-attested', [{ filename: wheel.filename, bytes: wheel.bytes, provenance: bytes }]);
    const page = await (await fetch(`${proxy.url}/simple/upstream-attested/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } })).json() as { files: Array<{ provenance: string }> };
    const served = await fetch(`${proxy.url}${page.files[0]!.provenance}`, { headers: INTEGRITY });
    expect(served.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), bytes)).toBe(0);
  });
});
