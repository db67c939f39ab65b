import { AppError } from '@registry/shared-errors';
import { digestsOf, type TarballDigests } from './integrity';
import { newPackageNameProblem } from './package-name';
import { withoutRegistryAssertions } from './registry-signatures';
import type { VersionManifest } from './packument';
import { distTagProblem, isValidVersion } from './versions';
import { safeRecord } from '@registry/shared-util';

/** A publish request, validated (protocols §4.2); the tarball bytes are decoded and digested. */
export interface PublishRequest {
  name: string;
  version: string;
  manifest: VersionManifest;
  distTags: Record<string, string>;
  tarball: Buffer;
  digests: TarballDigests;
  /** Top-level readme (yarn v1 puts it there, npm in the version). */
  readme: string | undefined;
}

const bad = (message: string): AppError => new AppError('invalid_request', message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when the PUT carries attachments, i.e. it is a publish and not a deprecate/unpublish/owner change (protocols §4.2). */
export const isPublishBody = (body: unknown): boolean => isObject(body) && isObject(body['_attachments']) && Object.keys(body['_attachments']).length > 0;

export function parsePublishBody(urlName: string, body: unknown): PublishRequest {
  if (!isObject(body)) throw bad('publish body must be a JSON object');
  if (body['name'] !== urlName) throw bad(`body name ${String(body['name'])} does not match the URL (${urlName})`);
  const nameProblem = newPackageNameProblem(urlName);
  if (nameProblem !== undefined) throw bad(`invalid package name ${JSON.stringify(urlName)}: ${nameProblem}`);
  const versions = body['versions'];
  if (!isObject(versions) || Object.keys(versions).length !== 1) throw bad('publish must carry exactly one version');
  const [version, manifestRaw] = Object.entries(versions)[0] as [string, unknown];
  if (!isValidVersion(version)) throw bad(`invalid version: ${version}`);
  if (!isObject(manifestRaw) || manifestRaw['name'] !== urlName || manifestRaw['version'] !== version) {
    throw bad('version manifest name/version do not match');
  }
  // Registry signatures and attestations are the registry's to assert, never the client's.
  const sent = manifestRaw as unknown as VersionManifest;
  const manifest = isObject(sent.dist) ? withoutRegistryAssertions(sent) : sent;
  const tarball = decodeAttachment(body['_attachments'] as Record<string, unknown>, urlName, version);
  const digests = digestsOf(tarball);
  const dist = isObject(manifest.dist) ? manifest.dist : undefined;
  if (dist?.integrity !== undefined && !String(dist.integrity).split(/\s+/).includes(digests.integrity)) {
    throw bad(`integrity mismatch: the attachment does not match dist.integrity of ${urlName}@${version}`);
  }
  if (dist?.shasum !== undefined && String(dist.shasum).toLowerCase() !== digests.shasum) {
    throw bad(`shasum mismatch: the attachment does not match dist.shasum of ${urlName}@${version}`);
  }
  const distTags = isObject(body['dist-tags']) ? (body['dist-tags'] as Record<string, unknown>) : { latest: version };
  for (const [tag, target] of Object.entries(distTags)) {
    const problem = distTagProblem(tag);
    if (problem !== undefined) throw bad(`invalid dist-tag ${JSON.stringify(tag)}: ${problem}`);
    if (target !== version) throw bad(`invalid dist-tag ${tag} → ${String(target)}: a publish tags its own version`);
  }
  const readme = typeof body['readme'] === 'string' ? body['readme'] : undefined;
  return { name: urlName, version, manifest, distTags: safeRecord(distTags as Record<string, string>), tarball, digests, readme };
}

/** The attachment for this version: key `<name>-<version>.tgz` (npm: scoped key; others: basename). */
function decodeAttachment(attachments: Record<string, unknown>, name: string, version: string): Buffer {
  const tgz = Object.entries(attachments).filter(([key]) => key.endsWith('.tgz'));
  if (tgz.length !== 1) throw bad('publish must carry exactly one .tgz attachment');
  const [key, att] = tgz[0] as [string, unknown];
  const base = key.slice(key.lastIndexOf('/') + 1);
  if (base !== `${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`) throw bad(`unexpected attachment name ${key}`);
  if (!isObject(att) || typeof att['data'] !== 'string') throw bad('attachment data missing');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(att['data'])) throw bad('attachment data is not base64');
  const bytes = Buffer.from(att['data'], 'base64');
  if (bytes.length === 0) throw bad('attachment is empty');
  if (att['length'] !== undefined && att['length'] !== bytes.length) {
    throw bad(`attachment length ${String(att['length'])} does not match its data (${bytes.length} bytes)`);
  }
  return bytes;
}
