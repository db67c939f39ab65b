import { parseDistributionFilename } from './distribution-filename';
import { unescapeHtml } from './escape-html';
import { normalizeProjectName } from './normalize-project-name';
import type { DistributionFile, ProjectPage } from './project-page';

/** Thrown when an upstream page cannot be read as a simple API page. */
export class SimplePageParseError extends Error {
  override readonly name = 'SimplePageParseError';
}

/**
 * Reads an upstream project page, JSON (PEP 691) or HTML (PEP 503), into the model with absolute
 * file URLs (resolved against `pageUrl`, fragment removed). Files whose URL is not http(s) are dropped.
 */
export function parseUpstreamPage(body: string, contentType: string, pageUrl: string, project: string): ProjectPage {
  const isJson = contentType.toLowerCase().startsWith('application/vnd.pypi.simple.v1+json');
  const page = isJson ? parseJsonPage(body, pageUrl, project) : parseHtmlPage(body, pageUrl, project);
  const versions = new Set(page.versions);
  for (const file of page.files) {
    const version = parseDistributionFilename(file.filename, project)?.version;
    if (version !== undefined) versions.add(version);
  }
  return { ...page, versions: [...versions] };
}

function parseJsonPage(body: string, pageUrl: string, project: string): ProjectPage {
  let doc: { meta?: { 'api-version'?: unknown }; versions?: unknown; files?: unknown };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch (err) {
    throw new SimplePageParseError(`upstream page is not JSON: ${(err as Error).message}`);
  }
  const apiVersion = String(doc.meta?.['api-version'] ?? '1.0');
  if (!apiVersion.startsWith('1.')) throw new SimplePageParseError(`unsupported simple API version ${apiVersion}`);
  if (!Array.isArray(doc.files)) throw new SimplePageParseError('upstream page has no files array');
  const files = doc.files.flatMap((raw: Record<string, unknown>) => {
    const url = resolveUrl(String(raw['url'] ?? ''), pageUrl);
    const filename = typeof raw['filename'] === 'string' ? raw['filename'] : undefined;
    if (url === undefined || filename === undefined) return [];
    const file: DistributionFile = {
      filename,
      url,
      hashes: stringRecord(raw['hashes']),
      requiresPython: typeof raw['requires-python'] === 'string' && raw['requires-python'] !== '' ? raw['requires-python'] : null,
      coreMetadata: metadataOf(raw['core-metadata'] ?? raw['dist-info-metadata'] ?? raw['data-dist-info-metadata']),
      size: typeof raw['size'] === 'number' ? raw['size'] : null,
      uploadTime: typeof raw['upload-time'] === 'string' ? raw['upload-time'] : null,
      yanked: raw['yanked'] === true ? '' : typeof raw['yanked'] === 'string' && raw['yanked'] !== '' ? raw['yanked'] : false,
    };
    return [file];
  });
  const versions = Array.isArray(doc.versions) ? doc.versions.filter((v): v is string => typeof v === 'string') : [];
  return { name: normalizeProjectName(project), versions, files };
}

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const BASE = /<base\s([^>]*)>/i;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

function parseHtmlPage(body: string, pageUrl: string, project: string): ProjectPage {
  const baseHref = attributesOf(BASE.exec(body)?.[1] ?? '')['href'];
  const base = baseHref === undefined ? pageUrl : (resolveUrl(baseHref, pageUrl) ?? pageUrl);
  const files: DistributionFile[] = [];
  for (const match of body.matchAll(ANCHOR)) {
    const attrs = attributesOf(match[1] ?? '');
    const href = attrs['href'];
    if (href === undefined) continue;
    const url = resolveUrl(href, base);
    if (url === undefined) continue;
    const hash = /#([a-z0-9]+)=([0-9a-f]+)$/i.exec(href);
    const metadata = attrs['data-core-metadata'] ?? attrs['data-dist-info-metadata'];
    files.push({
      filename: unescapeHtml((match[2] ?? '').trim()) || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''),
      url,
      hashes: hash ? { [hash[1]!.toLowerCase()]: hash[2]!.toLowerCase() } : {},
      requiresPython: attrs['data-requires-python'] || null,
      coreMetadata: metadata === undefined ? false : metadataOf(metadata === 'true' ? true : hashPair(metadata)),
      size: null,
      uploadTime: null,
      yanked: attrs['data-yanked'] ?? false,
    });
  }
  return { name: normalizeProjectName(project), versions: [], files };
}

function attributesOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) out[m[1]!.toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

function hashPair(value: string): Record<string, string> | boolean {
  const [name, hex] = value.split('=');
  return name && hex ? { [name.toLowerCase()]: hex.toLowerCase() } : true;
}

function metadataOf(value: unknown): DistributionFile['coreMetadata'] {
  if (value === true) return true;
  if (value !== null && typeof value === 'object') {
    const hashes = stringRecord(value);
    return Object.keys(hashes).length > 0 ? hashes : true;
  }
  return false;
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]),
  );
}

/** Absolute http(s) URL without its fragment, or undefined. */
function resolveUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}
