import { acceptableOffers } from './acceptable-offers';
import { checkAttestation, type Attestation } from './attestations';
import { parseDistributionFilename } from './distribution-filename';
import { isRecord } from './json-values';

/**
 * The PEP 740 Integrity API (protocols §11): one provenance object per file at
 * `/integrity/<project>/<version>/<filename>/provenance`, JSON only.
 */
export const INTEGRITY_MEDIA_TYPES = ['application/vnd.pypi.integrity.v1+json', 'application/json'] as const;
export type IntegrityMediaType = (typeof INTEGRITY_MEDIA_TYPES)[number];

/** The media type to answer with, or undefined for a 406 (the upstream answers 406 to an Accept it cannot meet). */
export function negotiateIntegrityFormat(accept: string | undefined): IntegrityMediaType | undefined {
  return acceptableOffers(accept, INTEGRITY_MEDIA_TYPES)[0];
}

export interface ProvenanceLocation {
  /** Normalized project name. */
  project: string;
  /** The release version (which the filename does not always show). */
  version: string;
  filename: string;
}

/** `/integrity/<project>/<version>/<filename>/provenance`, each segment percent-encoded. */
export function integrityProvenancePath(loc: ProvenanceLocation): string {
  return `/integrity/${encodeURIComponent(loc.project)}/${encodeURIComponent(loc.version)}/${encodeURIComponent(loc.filename)}/provenance`;
}

const PROVENANCE_PATH = /\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/;

/** The location named by an Integrity API path (or URL path ending in one); undefined when it is not one. */
export function parseIntegrityProvenancePath(path: string): ProvenanceLocation | undefined {
  const match = PROVENANCE_PATH.exec(path);
  if (match === null) return undefined;
  try {
    const [project, version, filename] = match.slice(1, 4).map((s) => decodeURIComponent(s!));
    if (!project || !version || !filename || [project, version, filename].some((s) => s.includes('/') || s === '.' || s === '..')) return undefined;
    return { project, version, filename };
  } catch {
    return undefined;
  }
}

/**
 * Our URL for a file's provenance, under `baseUrl` (the absolute URL clients reach us at, PEP 740 wants a
 * fully qualified URL). The release version comes from the upstream's own Integrity API URL when it has that
 * shape (a file's name may carry another version than its release), else from the filename. Undefined when
 * neither gives one: the caller then offers no provenance for that file.
 */
export function proxiedProvenanceUrl(upstreamUrl: string, project: string, filename: string, baseUrl: string): string | undefined {
  let upstreamPath: string;
  try {
    upstreamPath = new URL(upstreamUrl).pathname;
  } catch {
    return undefined;
  }
  const fromUpstream = parseIntegrityProvenancePath(upstreamPath);
  const version = fromUpstream?.filename === filename ? fromUpstream.version : parseDistributionFilename(filename, project)?.version;
  if (version === undefined) return undefined;
  return `${baseUrl.replace(/\/+$/, '')}${integrityProvenancePath({ project, version, filename })}`;
}

/** PEP 740 publisher: `kind` and `claims` are required; other keys are publisher-specific. */
export interface Publisher {
  kind: string;
  claims: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface AttestationBundle {
  publisher: Publisher;
  attestations: Attestation[];
}

export interface Provenance {
  version: 1;
  attestation_bundles: AttestationBundle[];
}

/** The provenance object of a privately uploaded file: its attestations in one bundle under `publisher`. */
export function buildProvenance(attestations: Attestation[], publisher: Publisher): Provenance {
  return { version: 1, attestation_bundles: [{ publisher, attestations }] };
}

/**
 * True when `value` is a well-formed provenance object: version 1, one or more bundles, each with a
 * publisher (`kind` string, `claims` object or null) and one or more well-formed attestations.
 */
export function isProvenance(value: unknown): value is Provenance {
  if (!isRecord(value) || value['version'] !== 1) return false;
  const bundles = value['attestation_bundles'];
  if (!Array.isArray(bundles) || bundles.length === 0) return false;
  return bundles.every((bundle) => {
    if (!isRecord(bundle) || !isRecord(bundle['publisher'])) return false;
    const { kind, claims } = bundle['publisher'];
    if (typeof kind !== 'string' || !(claims === null || isRecord(claims))) return false;
    const attestations = bundle['attestations'];
    return Array.isArray(attestations) && attestations.length > 0 && attestations.every(isWellFormedAttestation);
  });
}

function isWellFormedAttestation(raw: unknown): boolean {
  try {
    checkAttestation(raw);
    return true;
  } catch {
    return false;
  }
}
