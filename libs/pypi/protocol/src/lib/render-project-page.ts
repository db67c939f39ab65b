import { escapeHtml } from './escape-html';
import { simpleApiVersionOf, type DistributionFile, type ProjectPage } from './project-page';
import { applyProjectStatus } from './project-status';
import type { SimpleFormat } from './negotiate-simple-format';

/**
 * Serializes a project page in the negotiated format (HTML per PEP 503, JSON per PEP 691). A quarantined
 * project is always rendered without files (PEP 792), whoever built the page.
 */
export function renderProjectPage(page: ProjectPage, format: SimpleFormat): string {
  return format === 'json-v1' ? renderProjectJson(page) : renderProjectHtml(page);
}

/**
 * PEP 691 JSON with PEP 700 fields, `_last-serial` in `meta` and `project-status` (PEP 792) when the page
 * has them; both metadata key spellings for older clients (PEP 714), and only where the page says something.
 */
export function renderProjectJson(input: ProjectPage): string {
  const page = applyProjectStatus(input);
  const meta: Record<string, unknown> = { 'api-version': simpleApiVersionOf(page) };
  if (page.lastSerial !== undefined) meta['_last-serial'] = page.lastSerial;
  const doc: Record<string, unknown> = { meta, name: page.name };
  if (page.projectStatus !== undefined) doc['project-status'] = page.projectStatus;
  doc['versions'] = page.versions;
  doc['files'] = page.files.map(toJsonFile);
  return JSON.stringify(doc);
}

function toJsonFile(file: DistributionFile): Record<string, unknown> {
  const out: Record<string, unknown> = { filename: file.filename, url: file.url, hashes: file.hashes };
  // Always present, null when unrestricted, as the upstream index writes it.
  out['requires-python'] = file.requiresPython || null;
  if (file.coreMetadata !== undefined) {
    out['core-metadata'] = file.coreMetadata;
    out['dist-info-metadata'] = file.coreMetadata;
  }
  if (file.size !== null) out['size'] = file.size;
  if (file.uploadTime !== null) out['upload-time'] = file.uploadTime;
  // PEP 691: a yank without reason is `true`; a reason is a non-empty string.
  out['yanked'] = file.yanked === false ? false : file.yanked === '' ? true : file.yanked;
  if (file.provenance !== undefined) out['provenance'] = file.provenance;
  return out;
}

/**
 * PEP 503 HTML: anchor text is the filename, `#sha256=` on the href, requires-python HTML-escaped,
 * `data-yanked` present when yanked, both `data-core-metadata` (PEP 714) and `data-dist-info-metadata`
 * (PEP 658) because clients read one or the other, `data-provenance` (PEP 740), the project status meta
 * tags (PEP 792), and the serial trailer the upstream index writes.
 */
export function renderProjectHtml(input: ProjectPage): string {
  const page = applyProjectStatus(input);
  const name = escapeHtml(page.name);
  const anchors = page.files.map((file) => `    <a ${htmlAttributes(file)}>${escapeHtml(file.filename)}</a><br/>`);
  const status = page.projectStatus;
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    `    <meta name="pypi:repository-version" content="${simpleApiVersionOf(page)}">`,
    ...(status === undefined ? [] : [`    <meta name="pypi:project-status" content="${escapeHtml(status.status)}">`]),
    ...(status?.reason === undefined ? [] : [`    <meta name="pypi:project-status-reason" content="${escapeHtml(status.reason)}">`]),
    `    <title>Links for ${name}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>Links for ${name}</h1>`,
    ...anchors,
    '  </body>',
    '</html>',
    ...(page.lastSerial === undefined ? [] : [`<!--SERIAL ${escapeHtml(String(page.lastSerial))}-->`]),
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
  if (typeof file.provenance === 'string') attrs.push(`data-provenance="${escapeHtml(file.provenance)}"`);
  return attrs.join(' ');
}

function metadataAttributeValue(value: DistributionFile['coreMetadata']): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return 'true';
  const sha256 = value['sha256'];
  if (sha256 !== undefined) return `sha256=${escapeHtml(sha256)}`;
  const [first] = Object.entries(value);
  return first === undefined ? 'true' : `${escapeHtml(first[0])}=${escapeHtml(first[1])}`;
}
