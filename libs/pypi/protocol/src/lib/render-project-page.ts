import { escapeHtml } from './escape-html';
import { SIMPLE_API_VERSION, type DistributionFile, type ProjectPage } from './project-page';
import type { SimpleFormat } from './negotiate-simple-format';

/** Serializes a project page in the negotiated format (HTML per PEP 503, JSON per PEP 691). */
export function renderProjectPage(page: ProjectPage, format: SimpleFormat): string {
  return format === 'json-v1' ? renderProjectJson(page) : renderProjectHtml(page);
}

/** PEP 691 JSON with PEP 700 fields; both metadata key spellings for older clients (PEP 714). */
export function renderProjectJson(page: ProjectPage): string {
  return JSON.stringify({
    meta: { 'api-version': SIMPLE_API_VERSION },
    name: page.name,
    versions: page.versions,
    files: page.files.map(toJsonFile),
  });
}

function toJsonFile(file: DistributionFile): Record<string, unknown> {
  const out: Record<string, unknown> = { filename: file.filename, url: file.url, hashes: file.hashes };
  if (file.requiresPython) out['requires-python'] = file.requiresPython;
  out['core-metadata'] = file.coreMetadata;
  out['dist-info-metadata'] = file.coreMetadata;
  if (file.size !== null) out['size'] = file.size;
  if (file.uploadTime !== null) out['upload-time'] = file.uploadTime;
  // PEP 691: a yank without reason is `true`; a reason is a non-empty string.
  out['yanked'] = file.yanked === false ? false : file.yanked === '' ? true : file.yanked;
  return out;
}

/**
 * PEP 503 HTML: anchor text is the filename, `#sha256=` on the href, requires-python HTML-escaped,
 * `data-yanked` present when yanked, and both `data-core-metadata` (PEP 714) and
 * `data-dist-info-metadata` (PEP 658) because clients read one or the other.
 */
export function renderProjectHtml(page: ProjectPage): string {
  const name = escapeHtml(page.name);
  const anchors = page.files.map((file) => `    <a ${htmlAttributes(file)}>${escapeHtml(file.filename)}</a><br/>`);
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">`,
    `    <title>Links for ${name}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>Links for ${name}</h1>`,
    ...anchors,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlAttributes(file: DistributionFile): string {
  const hash = file.hashes['sha256'] !== undefined ? `#sha256=${file.hashes['sha256']}` : '';
  const attrs = [`href="${escapeHtml(file.url + hash)}"`];
  if (file.requiresPython) attrs.push(`data-requires-python="${escapeHtml(file.requiresPython)}"`);
  if (file.yanked !== false) attrs.push(`data-yanked="${escapeHtml(file.yanked)}"`);
  const metadata = metadataAttributeValue(file.coreMetadata);
  if (metadata !== undefined) {
    attrs.push(`data-core-metadata="${metadata}"`, `data-dist-info-metadata="${metadata}"`);
  }
  return attrs.join(' ');
}

function metadataAttributeValue(value: DistributionFile['coreMetadata']): string | undefined {
  if (value === false) return undefined;
  if (value === true) return 'true';
  const sha256 = value['sha256'];
  if (sha256 !== undefined) return `sha256=${escapeHtml(sha256)}`;
  const [first] = Object.entries(value);
  return first === undefined ? 'true' : `${escapeHtml(first[0])}=${escapeHtml(first[1])}`;
}
