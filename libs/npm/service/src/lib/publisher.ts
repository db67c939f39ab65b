import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import { assertClaimable, type ClaimCheck } from '@registry/storage-read-through';
import { hoistLatestFields, nextRevision, signVersion, tarballPath, type Packument, type PublishRequest, type RegistrySigningKey } from '@registry/npm-protocol';
import type { PrivatePackageRecord } from './private-packages';
import type { PackageReader } from './package-reader';
import { assertMayPublish, type Actor, type PublishRule } from './publish-rules';
import { storageKeys } from './storage-keys';
import { safeRecord } from '@registry/shared-util';

/** npm's own wording (protocols §4.2); npm prints the body's `error`. */
export const republishError = (version: string): AppError =>
  new AppError('forbidden', `You cannot publish over the previously published versions: ${version}.`);

export interface PublisherOptions {
  store: BlobStore;
  reader: PackageReader;
  rules: readonly PublishRule[];
  /** This registry's signing keys: every published version is signed with each (protocols §14). */
  signingKeys: readonly RegistrySigningKey[];
  /** Whether a name not yet owned here may be claimed (the upstream does not serve it, or an admin allowed it). */
  claims: ClaimCheck;
}

/**
 * `npm publish` (protocols §4.2): the tarball is stored under a content-addressed key first, then the version is
 * added to the package record with compare-and-swap (`updateDocument`). Two instances publishing different
 * versions both survive (the CAS retries re-apply each change); the same version twice: the second CAS sees it
 * and gets 403.
 */
export class Publisher {
  constructor(private readonly opts: PublisherOptions) {}

  async publish(req: PublishRequest, actor: Actor & { email?: string | null }): Promise<void> {
    const packages = this.opts.reader.packages;
    // Checked before the tarball is written, so a refused publish stores nothing; the CAS checks again.
    const current = (await packages.get(req.name))?.record;
    checkPublishable(current, req.version);
    assertMayPublish(this.opts.rules, actor, req.name, current?.packument.maintainers?.map((m) => m.name));
    // A first publish claims the name: never one the upstream serves (protocols §8.18).
    if (current === undefined) await assertClaimable(req.name, this.opts.claims);
    const key = storageKeys.privateTarball(req.name, req.version, req.digests.sha512Hex);
    const pending = await this.opts.store.begin(key, {
      contentType: 'application/octet-stream',
      expectedDigest: { algorithm: 'sha512', hex: req.digests.sha512Hex },
      expectedSize: req.tarball.length,
    });
    try {
      pending.body.end(req.tarball);
      await pending.commit();
    } catch (err) {
      await pending.abort().catch(() => undefined);
      throw err;
    }
    try {
      await packages.update(req.name, (record) => {
        if (record?.tarballKeys[req.version] === key && record.packument.versions[req.version]) return undefined;
        checkPublishable(record, req.version);
        assertMayPublish(this.opts.rules, actor, req.name, record?.packument.maintainers?.map((m) => m.name));
        return addVersion(record, req, actor, key, this.opts.signingKeys);
      });
    } catch (err) {
      await this.removeUnreferencedTarball(req.name, req.version, key);
      throw err;
    } finally {
      this.opts.reader.invalidate(req.name);
    }
  }

  /** The loser of a same-version race must not delete the winner's identical (same-key) tarball. */
  private async removeUnreferencedTarball(name: string, version: string, key: string): Promise<void> {
    try {
      const record = (await this.opts.reader.packages.get(name))?.record;
      if (record?.tarballKeys[version] !== key) await this.opts.store.delete(key);
    } catch (err) {
      if (!isAppError(err)) throw err;
    }
  }
}

function checkPublishable(record: PrivatePackageRecord | undefined, version: string): void {
  if (record && (record.packument.versions[version] || record.unpublished[version])) throw republishError(version);
}

function addVersion(
  record: PrivatePackageRecord | undefined, req: PublishRequest, actor: Actor & { email?: string | null }, key: string, signingKeys: readonly RegistrySigningKey[],
): PrivatePackageRecord {
  const now = new Date().toISOString();
  const person = { name: actor.name, ...(actor.email ? { email: actor.email } : {}) };
  const doc: Packument = record?.packument ?? { _id: req.name, name: req.name, 'dist-tags': {}, versions: {}, time: { created: now }, maintainers: [person] };
  if (!doc.maintainers || doc.maintainers.length === 0) doc.maintainers = [person];
  const { readme, ...manifest } = req.manifest;
  const version = {
    ...manifest,
    _id: `${req.name}@${req.version}`,
    _npmUser: person,
    maintainers: doc.maintainers,
    dist: {
      ...manifest.dist,
      // Rewritten to the public URL when served; the client-sent URL is never trusted (protocols §8.3).
      tarball: tarballPath(req.name, req.version),
      shasum: req.digests.shasum,
      integrity: req.digests.integrity,
    },
  };
  // Signed over the digests computed here, the way the public registry signs at publish.
  doc.versions[req.version] = signingKeys.length > 0 ? signVersion(version, signingKeys) : version;
  doc['dist-tags'] = safeRecord({ ...doc['dist-tags'], ...req.distTags });
  if (!doc['dist-tags']['latest']) doc['dist-tags']['latest'] = req.version;
  doc.time = safeRecord({ ...(doc.time ?? { created: now }), [req.version]: now, modified: now });
  const readmeText = typeof readme === 'string' ? readme : req.readme;
  if (readmeText !== undefined && doc['dist-tags']['latest'] === req.version) doc['readme'] = readmeText;
  doc._rev = nextRevision(doc._rev, randomUUID().replace(/-/g, ''));
  hoistLatestFields(doc);
  return {
    packument: doc,
    unpublished: record?.unpublished ?? {},
    tarballKeys: safeRecord({ ...(record?.tarballKeys ?? {}), [req.version]: key }),
  };
}
