import { html, isWebUrl, packageHref, trustedHtml, type Html } from './html';
import { renderPage } from './layout';
import { bytes, heldSection, installSection, time } from './fragments';
import { usageSection } from './usage-page';
import type { PackageUsageView } from './usage';
import { renderReadmeCached } from './readme';
import type { ConsoleChrome, FileFacts, PackageView, VersionRow } from './view-model';

/**
 * A package's page: what it is and its README (sanitized), how to install it, its versions and dist-tags, the
 * latest version's dependencies and file facts, the versions the firewall holds, each with its reason, and its
 * downloads per version from the lake's usage snapshot.
 */
export function renderPackagePage(view: PackageView, chrome: ConsoleChrome, usage: PackageUsageView): string {
  return renderPage({
    title: view.name, chrome,
    main: html`<h1 class="break">${view.name}</h1>
<p>${view.description ?? html`<span class="muted">No description.</span>`}</p>
<p class="muted">${view.origin === 'private' ? 'Published to this registry' : 'Cached from the upstream registry'}${view.latest ? html` · latest <strong>${view.latest}</strong>` : ''}${view.license ? html` · ${view.license}` : ''}</p>
${heldSection(view.held, 'Version')}
<div class="layout">
<div>
${installSection(view.install, view.clientConfig ? html`<p class="muted">With this registry in <code>${view.clientConfig.file}</code>: <code class="break">${view.clientConfig.line}</code></p>` : '')}
<section class="readme" aria-labelledby="readme-h"><h2 id="readme-h">Readme</h2>
${view.readme ? html`<div class="readme-body">${trustedHtml(renderReadmeCached(view.readme))}</div>` : html`<p class="muted">This package has no README.</p>`}
</section>
</div>
<aside aria-label="Package facts">
${links(view)}
${distTags(view)}
${dependencies(view)}
${view.latestFile && view.latest ? file(view.latest, view.latestFile) : ''}
</aside>
</div>
${versions(view)}
${usageSection(usage)}`,
  });
}

function links(view: PackageView): Html | '' {
  const present: Array<[string, string]> = [];
  if (view.homepage) present.push(['Homepage', view.homepage]);
  if (view.repository) present.push(['Repository', view.repository]);
  if (present.length === 0) return '';
  return html`<h2>Links</h2><ul>${present.map(([label, url]) => html`<li>${label}: ${isWebUrl(url) ? html`<a class="break" href="${url}" rel="nofollow noopener noreferrer">${url}</a>` : html`<span class="break">${url}</span>`}</li>`)}</ul>`;
}

function distTags(view: PackageView): Html {
  return html`<h2>Dist-tags</h2>${view.distTags.length === 0 ? html`<p class="muted">None.</p>` : html`<table><tbody>${view.distTags.map(([tag, version]) => html`<tr><th scope="row">${tag}</th><td>${version}</td></tr>`)}</tbody></table>`}`;
}

function dependencies(view: PackageView): Html {
  const title = view.latest ? html`Dependencies of ${view.latest}` : 'Dependencies';
  if (view.dependencies.every((g) => g.entries.length === 0)) return html`<h2>${title}</h2><p class="muted">None.</p>`;
  return html`<h2>${title}</h2>${view.dependencies.filter((g) => g.entries.length > 0).map((g) => html`<h3>${g.kind} (${g.entries.length})</h3>
<ul>${g.entries.map(([name, range]) => html`<li><a href="${packageHref(name)}">${name}</a> <code>${range}</code></li>`)}</ul>`)}`;
}

function file(version: string, f: FileFacts): Html {
  const row = (label: string, value: Html | string | undefined): Html | '' => (value === undefined ? '' : html`<tr><th scope="row">${label}</th><td class="break">${value}</td></tr>`);
  return html`<h2>Tarball of ${version}</h2><table><tbody>
${row('File', f.url && isWebUrl(f.url) ? html`<a href="${f.url}">${f.url.slice(f.url.lastIndexOf('/') + 1)}</a>` : undefined)}
${row('Integrity', f.integrity ? html`<code>${f.integrity}</code>` : undefined)}
${row('SHA-1', f.shasum ? html`<code>${f.shasum}</code>` : undefined)}
${row('Unpacked size', f.unpackedSize === undefined ? undefined : bytes(f.unpackedSize))}
${row('Files', f.fileCount === undefined ? undefined : String(f.fileCount))}
</tbody></table>`;
}

function versions(view: PackageView): Html {
  return html`<section aria-labelledby="versions-h"><h2 id="versions-h">Versions (${view.versionCount})</h2>
<table><thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Tags</th></tr></thead><tbody>
${view.versions.map(versionRow)}
</tbody></table>
${view.allVersionsHref ? html`<p><a href="${view.allVersionsHref}">Show all ${view.versionCount} versions</a></p>` : ''}
</section>`;
}

const versionRow = (r: VersionRow): Html => html`<tr><td>${r.version}${r.deprecated ? html` <span class="muted">(deprecated: ${r.deprecated})</span>` : ''}</td><td>${r.publishedAt ? time(r.publishedAt) : html`<span class="muted">unknown</span>`}</td><td>${r.tags.map((t) => html`<span class="tag">${t}</span>`)}</td></tr>`;
