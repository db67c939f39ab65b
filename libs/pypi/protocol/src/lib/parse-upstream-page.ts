import { isRecord, lowercaseStringRecord, resolveHttpUrl } from './json-values';
import { normalizeProjectName } from './normalize-project-name';
import { metadataValue, versionsFromFilenames } from './page-fields';
import { parseHtmlPage } from './parse-html-page';
import type { DistributionFile, ProjectPage } from './project-page';
import { statusFromUpstream } from './project-status';

/** Thrown when an upstream page cannot be read as a simple API page. */
export class SimplePageParseError extends Error {
  override readonly name = 'SimplePageParseError';
}

export interface UpstreamPageHeaders {
  /** The response's `X-PyPI-Last-Serial`, used when the body carries no serial. */
  lastSerial?: string | undefined;
}

/**
 * Reads an upstream project page, JSON (PEP 691) or HTML (PEP 503), into the model with absolute file URLs
 * (resolved against `pageUrl`, fragment removed); files whose URL is not http(s) are dropped. What the page
 * says is kept as it says it (protocols §10): `versions` verbatim when the
 * page has them (filenames are used only for HTML and pre-1.1 JSON, which have none), optional keys left
 * undefined when absent, the serial, the project status and every file's provenance URL.
 */
export function parseUpstreamPage(body: string, contentType: string, pageUrl: string, project: string, headers: UpstreamPageHeaders = {}): ProjectPage {
  const isJson = contentType.toLowerCase().startsWith('application/vnd.pypi.simple.v1+json');
  const page = isJson ? parseJsonPage(body, pageUrl, project) : parseHtmlPage(body, pageUrl, project);
  if (page.lastSerial === undefined && headers.lastSerial !== undefined && /^\d{1,20}$/.test(headers.lastSerial.trim())) {
    page.lastSerial = Number(headers.lastSerial.trim());
  }
  return page;
}

function parseJsonPage(body: string, pageUrl: string, project: string): ProjectPage {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new SimplePageParseError(`upstream page is not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new SimplePageParseError('upstream page is not a JSON object');
  const meta = isRecord(doc['meta']) ? doc['meta'] : {};
  const apiVersion = String(meta['api-version'] ?? '1.0');
  if (!apiVersion.startsWith('1.')) throw new SimplePageParseError(`unsupported simple API version ${apiVersion}`);
  if (!Array.isArray(doc['files'])) throw new SimplePageParseError('upstream page has no files array');
  const files = doc['files'].flatMap((raw: unknown) => {
    const file = isRecord(raw) ? jsonFile(raw, pageUrl) : undefined;
    return file === undefined ? [] : [file];
  });
  const versions = Array.isArray(doc['versions'])
    ? [...new Set(doc['versions'].filter((v): v is string => typeof v === 'string'))]
    : versionsFromFilenames(files, project);
  const page: ProjectPage = { name: normalizeProjectName(project), versions, files };
  const serial = meta['_last-serial'];
  if (typeof serial === 'number' || typeof serial === 'string') page.lastSerial = serial;
  // The status object (PEP 792); the spec's example once showed it flattened into `meta`, read that too.
  const status = isRecord(doc['project-status'])
    ? statusFromUpstream(doc['project-status']['status'], doc['project-status']['reason'])
    : statusFromUpstream(meta['project-status'], meta['project-status-reason']);
  if (status !== undefined) page.projectStatus = status;
  return page;
}

function jsonFile(raw: Record<string, unknown>, pageUrl: string): DistributionFile | undefined {
  const url = resolveHttpUrl(String(raw['url'] ?? ''), pageUrl);
  const filename = typeof raw['filename'] === 'string' ? raw['filename'] : undefined;
  if (url === undefined || filename === undefined) return undefined;
  const requiresPython = raw['requires-python'];
  const yanked = raw['yanked'];
  const file: DistributionFile = {
    filename,
    url,
    hashes: lowercaseStringRecord(raw['hashes']),
    requiresPython: typeof requiresPython === 'string' && requiresPython !== '' ? requiresPython : null,
    size: typeof raw['size'] === 'number' ? raw['size'] : null,
    uploadTime: typeof raw['upload-time'] === 'string' ? raw['upload-time'] : null,
    yanked: yanked === true ? '' : typeof yanked === 'string' && yanked !== '' ? yanked : false,
  };
  // PEP 714 name first, then PEP 658's, then the spelling the upstream index emits.
  const metadata = ['core-metadata', 'dist-info-metadata', 'data-dist-info-metadata'].map((k) => raw[k]).find((v) => v !== undefined);
  if (metadata !== undefined) file.coreMetadata = metadataValue(metadata);
  if (raw['provenance'] === null) file.provenance = null;
  else if (typeof raw['provenance'] === 'string') file.provenance = resolveHttpUrl(raw['provenance'], pageUrl) ?? null;
  return file;
}
