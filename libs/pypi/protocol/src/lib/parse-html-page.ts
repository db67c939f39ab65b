import { unescapeHtml } from './escape-html';
import { resolveHttpUrl } from './json-values';
import { normalizeProjectName } from './normalize-project-name';
import { metadataValue, versionsFromFilenames } from './page-fields';
import type { DistributionFile, ProjectPage } from './project-page';
import { statusFromUpstream } from './project-status';

const ANCHOR = /<a\s([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const BASE = /<base\s([^>]*)>/i;
const META = /<meta\s([^>]*)>/gi;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
/** The serial trailer the upstream index appends to its HTML pages. */
const SERIAL = /<!--\s*SERIAL\s+(\d{1,20})\s*-->/;

/** PEP 503 HTML page (with the PEP 592/629/658/714/740/792 attributes and meta tags). */
export function parseHtmlPage(body: string, pageUrl: string, project: string): ProjectPage {
  const baseHref = attributesOf(BASE.exec(body)?.[1] ?? '')['href'];
  const base = baseHref === undefined ? pageUrl : (resolveHttpUrl(baseHref, pageUrl) ?? pageUrl);
  const files: DistributionFile[] = [];
  for (const match of body.matchAll(ANCHOR)) {
    const file = htmlFile(attributesOf(match[1] ?? ''), match[2] ?? '', base);
    if (file !== undefined) files.push(file);
  }
  const page: ProjectPage = { name: normalizeProjectName(project), versions: versionsFromFilenames(files, project), files };
  const serial = SERIAL.exec(body)?.[1];
  if (serial !== undefined) page.lastSerial = Number(serial);
  const metas = metaTags(body);
  const status = statusFromUpstream(metas['pypi:project-status'], metas['pypi:project-status-reason']);
  if (status !== undefined) page.projectStatus = status;
  return page;
}

function htmlFile(attrs: Record<string, string>, text: string, base: string): DistributionFile | undefined {
  const href = attrs['href'];
  if (href === undefined) return undefined;
  const url = resolveHttpUrl(href, base);
  if (url === undefined) return undefined;
  const hash = /#([a-z0-9]+)=([0-9a-f]+)$/i.exec(href);
  const file: DistributionFile = {
    filename: unescapeHtml(text.trim()) || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''),
    url,
    hashes: hash ? { [hash[1]!.toLowerCase()]: hash[2]!.toLowerCase() } : {},
    requiresPython: attrs['data-requires-python'] || null,
    size: null,
    // Not in PEP 503; some indexes add it to their v1+html pages, and it is the same fact as JSON's `upload-time`.
    uploadTime: attrs['data-upload-time'] || null,
    yanked: attrs['data-yanked'] ?? false,
  };
  const metadata = attrs['data-core-metadata'] ?? attrs['data-dist-info-metadata'];
  if (metadata !== undefined) file.coreMetadata = metadata === 'true' ? true : metadataValue(hashPair(metadata));
  const provenance = attrs['data-provenance'];
  if (provenance !== undefined) file.provenance = resolveHttpUrl(provenance, base) ?? null;
  return file;
}

/** `<meta name="..." content="...">` pairs (first one wins). */
function metaTags(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of body.matchAll(META)) {
    const attrs = attributesOf(match[1] ?? '');
    const name = attrs['name']?.toLowerCase();
    if (name !== undefined && attrs['content'] !== undefined && out[name] === undefined) out[name] = attrs['content'];
  }
  return out;
}

function attributesOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) out[m[1]!.toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** `sha256=<hex>` as an object; anything else (a malformed value) still means "metadata present". */
function hashPair(value: string): Record<string, string> | boolean {
  const [name, hex] = value.split('=');
  return name && hex ? { [name.toLowerCase()]: hex.toLowerCase() } : true;
}
