import { html, pageHrefOf, type Html } from './html';
import { REGISTRY_LABEL, renderPage } from './layout';
import { time } from './fragments';
import type { PackageUsageView, RegistryUsageView, SnapshotFacts, UsageCounts, UsageView } from './usage';
import type { ConsoleChrome } from './view-model';

/** Rows a version table shows; the rest are counted in a sentence (a package with thousands of versions). */
const MAX_VERSION_ROWS = 100;

const HOW_TO_PRODUCE = html`<code>tools/lake/usage.sh</code>`;

/** The page says what it has instead of numbers: no snapshot stored, or one that could not be read. */
function notice(view: Extract<UsageView<unknown>, { state: 'missing' | 'unreadable' }>): Html {
  if (view.state === 'unreadable') {
    return html`<p class="notice" role="status">The usage snapshot could not be read: ${view.reason}. Produce it again with ${HOW_TO_PRODUCE}.</p>`;
  }
  return html`<p class="notice" role="status">No usage snapshot is stored, so there are no download counts to show. Usage needs the lake: downloads per version over the last 30 days, and how many were served from the cache or fetched from the upstream, are counted from the audit events in the lake and stored for the console by ${HOW_TO_PRODUCE} (run it where the lake is configured, e.g. daily).</p>`;
}

export function ageText(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return `${Math.max(1, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

function freshness(facts: SnapshotFacts): Html {
  return html`<p class="muted">Last ${facts.windowDays} days, from the lake's snapshot of ${time(facts.generatedAt)} (${ageText(facts.ageMs)} ago).</p>
${facts.stale ? html`<p class="notice" role="status">This snapshot is ${ageText(facts.ageMs)} old: the numbers stop at ${time(facts.generatedAt)}. Run ${HOW_TO_PRODUCE} to bring them up to date.</p>` : ''}`;
}

/** The share of pull-through downloads served from the cache; private packages are neither. */
function cacheShare(c: UsageCounts): string {
  const pulled = c.cache + c.upstream;
  return pulled === 0 ? '–' : `${((100 * c.cache) / pulled).toFixed(1)}%`;
}

const countCells = (c: UsageCounts): Html => html`<td>${c.downloads}</td><td>${c.cache}</td><td>${c.upstream}</td><td>${cacheShare(c)}</td><td>${c.private}</td>`;
const COUNT_HEADERS = html`<th scope="col">Downloads</th><th scope="col">From the cache</th><th scope="col">From the upstream</th><th scope="col">Cache share</th><th scope="col">Private</th>`;

/** A package page's usage: its downloads per version over the snapshot's window, cache against upstream. */
export function usageSection(view: PackageUsageView): Html {
  const body = view.state !== 'ready' ? notice(view) : view.totals.downloads === 0
    ? html`${freshness(view)}<p class="muted">No downloads in these ${view.windowDays} days.</p>`
    : html`${freshness(view)}
<p><strong>${view.totals.downloads}</strong> downloads: ${view.totals.cache} from the cache, ${view.totals.upstream} from the upstream${view.totals.private ? html`, ${view.totals.private} of a private package` : ''}.</p>
<table><thead><tr><th scope="col">Version</th>${COUNT_HEADERS}</tr></thead><tbody>
${view.versions.slice(0, MAX_VERSION_ROWS).map((v) => html`<tr><td class="break">${v.version ?? html`<span class="muted">unknown</span>`}</td>${countCells(v)}</tr>`)}
</tbody></table>
${view.versions.length > MAX_VERSION_ROWS ? html`<p class="muted">And ${view.versions.length - MAX_VERSION_ROWS} more versions with fewer downloads.</p>` : ''}`;
  return html`<section aria-labelledby="usage-h"><h2 id="usage-h">Usage</h2>
${body}
</section>`;
}

/** The registry-wide usage page (`/-/web/usage`): every registry's totals, then this registry's most downloaded packages. */
export function renderUsagePage(view: RegistryUsageView, chrome: ConsoleChrome): string {
  const label = REGISTRY_LABEL[chrome.registry];
  const body = view.state !== 'ready' ? notice(view) : html`${freshness(view)}
<section aria-labelledby="usage-registries-h"><h2 id="usage-registries-h">Per registry</h2>
<table><thead><tr><th scope="col">Registry</th>${COUNT_HEADERS}</tr></thead><tbody>
${view.registries.map((r) => html`<tr><th scope="row">${r.registry}</th>${countCells(r)}</tr>`)}
</tbody></table>
<p class="muted">Cache share: of the downloads pulled through (not private), the part served from the cache.</p>
</section>
<section aria-labelledby="usage-packages-h"><h2 id="usage-packages-h">Most downloaded ${label} packages${view.packageCount > view.packages.length ? html` (${view.packages.length} of ${view.packageCount})` : ''}</h2>
${view.packages.length === 0 ? html`<p class="muted">No ${label} package was downloaded in these ${view.windowDays} days.</p>` : html`<table><thead><tr><th scope="col">Package</th>${COUNT_HEADERS}</tr></thead><tbody>
${view.packages.map((p) => html`<tr><td class="break"><a href="${pageHrefOf(view.registry, p.package, '')}">${p.package}</a></td>${countCells(p)}</tr>`)}
</tbody></table>`}
</section>`;
  return renderPage({ title: 'Usage', chrome, main: html`<h1>Usage</h1>\n${body}` });
}
