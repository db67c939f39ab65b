import { html, isWebUrl, trustedHtml, type Html } from './html';
import { renderPage } from './layout';
import { bytes, heldSection, installSection, time } from './fragments';
import { usageSection } from './usage-page';
import type { PackageUsageView } from './usage';
import { renderReadmeCached } from './readme';
import type { ConsoleChrome, CoreMetadataView, PypiFileRow, PypiProjectView, PypiVersionRow } from './view-model';

/**
 * A PyPI project's page: the newest release's summary and description (Markdown rendered and sanitized; reST and
 * plain text shown as text: no reST renderer runs here), install commands, its files with sizes and sha256,
 * its requirements, every served version with its upload time and yanked state, what the firewall holds, and its
 * downloads per version from the lake's usage snapshot.
 */
export function renderProjectPage(view: PypiProjectView, chrome: ConsoleChrome, usage: PackageUsageView): string {
  const m = view.metadata;
  return renderPage({
    title: view.name, chrome,
    main: html`<h1 class="break">${view.name}</h1>
<p>${m?.summary ?? html`<span class="muted">No summary.</span>`}</p>
<p class="muted">${view.origin === 'private' ? 'Uploaded to this index' : 'Cached from the upstream index'}${view.latest ? html` · newest <strong>${view.latest.version}</strong>` : ''}${m?.license ? html` · ${m.license}` : ''}</p>
${view.status ? html`<p class="notice" role="status">Project status: <strong>${view.status.status}</strong>${view.status.reason ? html` (${view.status.reason})` : ''}</p>` : ''}
${heldSection(view.held, 'File')}
<div class="layout">
<div>
${installSection(view.install)}
<section class="readme" aria-labelledby="description-h"><h2 id="description-h">Description</h2>
${description(view)}
</section>
</div>
<aside aria-label="Project facts">
${m ? facts(m) : ''}
</aside>
</div>
${view.latest ? files(view.latest.version, view.latest.files) : ''}
${versions(view)}
${usageSection(usage)}`,
  });
}

function description(view: PypiProjectView): Html {
  const d = view.metadata?.description;
  if (!d) return html`<p class="muted">${view.metadataNote ?? 'This release has no description.'}</p>`;
  // reST and plain text are shown as written: escaped text in a pre, never markup.
  return d.markdown ? html`<div class="readme-body">${trustedHtml(renderReadmeCached(d.text))}</div>` : html`<pre class="description-text">${d.text}</pre>`;
}

function facts(m: CoreMetadataView): Html {
  return html`${m.projectUrls.length > 0 ? html`<h2>Links</h2><ul>${m.projectUrls.map(([label, url]) => html`<li>${label}: ${isWebUrl(url) ? html`<a class="break" href="${url}" rel="nofollow noopener noreferrer">${url}</a>` : html`<span class="break">${url}</span>`}</li>`)}</ul>` : ''}
${m.requiresPython ? html`<h2>Requires Python</h2><p><code>${m.requiresPython}</code></p>` : ''}
<h2>Requirements of ${m.version}</h2>
${m.requiresDist.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${m.requiresDist.map((r) => html`<li><code class="break">${r}</code></li>`)}</ul>`}`;
}

function files(version: string, rows: readonly PypiFileRow[]): Html {
  return html`<section aria-labelledby="files-h"><h2 id="files-h">Files of ${version}</h2>
<table><thead><tr><th scope="col">File</th><th scope="col">Size</th><th scope="col">SHA-256</th><th scope="col">Uploaded</th></tr></thead><tbody>
${rows.map((f) => html`<tr><td class="break"><a href="${f.url}">${f.filename}</a>${f.yanked === false ? '' : html` <span class="tag">yanked</span>`}${f.requiresPython ? html`<div class="muted">Python ${f.requiresPython}</div>` : ''}</td><td class="nowrap">${f.size === undefined ? '' : bytes(f.size)}</td><td class="break"><code>${f.sha256 ?? ''}</code></td><td>${f.uploadedAt ? time(f.uploadedAt) : ''}</td></tr>`)}
</tbody></table></section>`;
}

function versions(view: PypiProjectView): Html {
  return html`<section aria-labelledby="versions-h"><h2 id="versions-h">Versions (${view.versionCount})</h2>
<table><thead><tr><th scope="col">Version</th><th scope="col">Uploaded</th><th scope="col">Files</th><th scope="col">State</th></tr></thead><tbody>
${view.versions.map(versionRow)}
</tbody></table>
${view.allVersionsHref ? html`<p><a href="${view.allVersionsHref}">Show all ${view.versionCount} versions</a></p>` : ''}
</section>`;
}

const versionRow = (r: PypiVersionRow): Html => html`<tr><td>${r.version}</td><td>${r.uploadedAt ? time(r.uploadedAt) : html`<span class="muted">unknown</span>`}</td><td>${r.fileCount}</td><td>${r.yanked === false ? 'served' : html`<span class="tag">yanked</span>${r.yanked ? html` ${r.yanked}` : ''}`}</td></tr>`;
