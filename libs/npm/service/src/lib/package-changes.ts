import { randomUUID } from 'node:crypto';
import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import { distTagProblem, highestVersion, hoistLatestFields, isValidVersion, nextRevision, type Packument } from '@registry/npm-protocol';
import { ownValue, safeRecord } from '@registry/shared-util';
import type { PrivatePackageRecord } from './private-packages';
import type { PackageReader } from './package-reader';
import { assertMayPublish, type Actor, type PublishRule } from './publish-rules';

export interface ChangeResult {
  operation: 'deprecate' | 'unpublish' | 'none';
  versions: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deprecate, unpublish and dist-tag changes on private packages (protocols §4.3-§4.5). */
export class PackageChanges {
  constructor(private readonly opts: { store: BlobStore; reader: PackageReader; rules: readonly PublishRule[] }) {}

  /**
   * A PUT without attachments (protocols §4.2): versions missing from the body are unpublished
   * (only on `/-rev/<rev>`), changed `deprecated` fields are applied. Nothing else from the client's copy is used.
   */
  async applyDocument(name: string, body: unknown, withRev: boolean, actor: Actor): Promise<ChangeResult> {
    if (!isObject(body) || !isObject(body['versions'])) {
      throw new AppError('forbidden', 'owner and star changes are not supported by this registry');
    }
    const sent = body['versions'] as Record<string, unknown>;
    const sentTags = isObject(body['dist-tags']) ? checkedTags(body['dist-tags']) : undefined;
    let result: ChangeResult = { operation: 'none', versions: [] };
    let removedKeys: string[] = [];
    await this.mutate(name, actor, (record) => {
      const doc = record.packument;
      const removed = Object.keys(doc.versions).filter((v) => !Object.hasOwn(sent, v));
      if (removed.length > 0 && !withRev) throw new AppError('invalid_request', 'removing versions needs PUT /<name>/-rev/<rev>');
      if (removed.length > 0) {
        removedKeys = removed.map((v) => record.tarballKeys[v]).filter((k): k is string => k !== undefined);
        removeVersions(record, removed);
        // Tags the client kept, on versions that remain (npm drops the removed version's tags itself, protocols §4.4).
        if (sentTags) doc['dist-tags'] = safeRecord(Object.entries(sentTags).filter(([, v]) => ownValue(doc.versions, v) !== undefined));
        ensureLatest(doc);
        result = { operation: 'unpublish', versions: removed };
        return record;
      }
      const changed = applyDeprecations(doc, sent);
      result = { operation: changed.length > 0 ? 'deprecate' : 'none', versions: changed };
      return changed.length > 0 ? record : undefined;
    });
    await Promise.all(removedKeys.map((key) => this.opts.store.delete(key)));
    return result;
  }

  /** `DELETE /<name>/-rev/<rev>`: every version goes; the names stay reserved (never reused, protocols §4.4). */
  async unpublishAll(name: string, actor: Actor): Promise<ChangeResult> {
    let removed: string[] = [];
    let keys: string[] = [];
    await this.mutate(name, actor, (record) => {
      removed = Object.keys(record.packument.versions);
      keys = Object.values(record.tarballKeys);
      removeVersions(record, removed);
      record.packument['dist-tags'] = {};
      return record;
    });
    await Promise.all(keys.map((key) => this.opts.store.delete(key)));
    return { operation: 'unpublish', versions: removed };
  }

  /** `DELETE /<tarball>/-rev/<rev>` after a version unpublish: the file is gone once its version is. */
  async deleteTarball(name: string, version: string | undefined, actor: Actor): Promise<void> {
    const record = (await this.opts.reader.packages.get(name))?.record;
    if (!record) throw new AppError('not_found', `package ${name} is not published on this registry`);
    assertMayPublish(this.opts.rules, actor, name, record.packument.maintainers?.map((m) => m.name));
    if (version && ownValue(record.packument.versions, version)) {
      throw new AppError('invalid_request', `${name}@${version} is still published; unpublish the version first`);
    }
  }

  async setDistTag(name: string, tag: string, version: unknown, actor: Actor): Promise<void> {
    checkTagName(tag);
    if (typeof version !== 'string' || !isValidVersion(version)) throw new AppError('invalid_request', 'the body must be a JSON string naming a version');
    await this.mutate(name, actor, (record) => {
      if (!ownValue(record.packument.versions, version)) throw new AppError('not_found', `version ${version} of ${name} not found`);
      if (record.packument['dist-tags'][tag] === version) return undefined;
      record.packument['dist-tags'][tag] = version;
      return record;
    });
  }

  async removeDistTag(name: string, tag: string, actor: Actor): Promise<void> {
    if (tag === 'latest') throw new AppError('invalid_request', 'the latest dist-tag cannot be removed');
    // No name check: a tag stored before the rule existed (`toString`) can still be removed; only own keys match.
    await this.mutate(name, actor, (record) => {
      if (!Object.hasOwn(record.packument['dist-tags'], tag)) throw new AppError('not_found', `dist-tag ${tag} not found on ${name}`);
      delete record.packument['dist-tags'][tag];
      return record;
    });
  }

  /** CAS update of an existing private package by one of its maintainers; bumps `_rev` and `time.modified`. */
  private async mutate(name: string, actor: Actor, change: (record: PrivatePackageRecord) => PrivatePackageRecord | undefined): Promise<void> {
    try {
      await this.opts.reader.packages.update(name, (record) => {
        if (!record || Object.keys(record.packument.versions).length === 0) {
          throw new AppError('not_found', `package ${name} is not published on this registry`);
        }
        assertMayPublish(this.opts.rules, actor, name, record.packument.maintainers?.map((m) => m.name));
        const next = change(record);
        if (!next) return undefined;
        next.packument.time = { ...(next.packument.time ?? {}), modified: new Date().toISOString() };
        next.packument._rev = nextRevision(next.packument._rev, randomUUID().replace(/-/g, ''));
        hoistLatestFields(next.packument);
        return next;
      });
    } finally {
      this.opts.reader.invalidate(name);
    }
  }
}

function checkTagName(tag: string): void {
  const problem = distTagProblem(tag);
  if (problem !== undefined) throw new AppError('invalid_request', `invalid dist-tag name ${JSON.stringify(tag)}: ${problem}`);
}

/** A client's `dist-tags` map: every name valid, every target a version string (else 400, nothing changes). */
function checkedTags(tags: Record<string, unknown>): Record<string, string> {
  for (const [tag, target] of Object.entries(tags)) {
    checkTagName(tag);
    if (typeof target !== 'string' || !isValidVersion(target)) throw new AppError('invalid_request', `dist-tag ${tag} must name a version`);
  }
  return safeRecord(tags as Record<string, string>);
}

function removeVersions(record: PrivatePackageRecord, versions: string[]): void {
  const now = new Date().toISOString();
  for (const v of versions) {
    delete record.packument.versions[v];
    delete record.packument.time?.[v];
    delete record.tarballKeys[v];
    record.unpublished[v] = now;
  }
  for (const [tag, v] of Object.entries(record.packument['dist-tags'])) {
    if (versions.includes(v)) delete record.packument['dist-tags'][tag];
  }
}

function ensureLatest(doc: Packument): void {
  const tagged = ownValue(doc['dist-tags'], 'latest');
  if (tagged && ownValue(doc.versions, tagged)) return;
  const latest = highestVersion(Object.keys(doc.versions));
  if (latest) doc['dist-tags']['latest'] = latest;
}

/** `deprecated: ""` means undeprecate (protocols §4.3); returns the versions whose message changed. */
function applyDeprecations(doc: Packument, sent: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const [version, manifest] of Object.entries(doc.versions)) {
    const incoming = ownValue(sent, version);
    if (!isObject(incoming)) continue;
    const message = typeof incoming['deprecated'] === 'string' ? incoming['deprecated'] : undefined;
    if ((message || undefined) === (manifest.deprecated || undefined)) continue;
    if (message) manifest.deprecated = message;
    else delete manifest.deprecated;
    changed.push(version);
  }
  return changed;
}
