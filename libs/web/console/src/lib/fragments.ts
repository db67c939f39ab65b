import { html, type Html } from './html';
import type { HeldVersion, InstallCommand } from './view-model';

/** Fragments both registries' pages share: one look for times, sizes, holds and install commands. */

export const time = (iso: string): Html => html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>`;

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function heldSection(rows: readonly HeldVersion[], what: 'Version' | 'File'): Html | '' {
  if (rows.length === 0) return '';
  return html`<section class="held" aria-labelledby="held-h"><h2 id="held-h">Held by the firewall</h2>
<p>These ${what === 'Version' ? 'versions' : 'files'} are not served now; clients asking for them get a 403 with the same reason.</p>
<table><thead><tr><th scope="col">${what}</th><th scope="col">Policy</th><th scope="col">Why</th><th scope="col">Available from</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="break"><strong>${r.version}</strong></td><td>${r.hold.policy}${r.hold.advisory ? html` (${r.hold.advisory})` : ''}</td><td>${r.hold.message}</td><td>${r.hold.availableAt ? time(r.hold.availableAt) : 'not by the clock'}</td></tr>`)}
</tbody></table></section>`;
}

export const installSection = (commands: readonly InstallCommand[], extra: Html | '' = ''): Html => html`<section aria-labelledby="install-h"><h2 id="install-h">Install</h2>
${commands.map((c) => html`<p>${c.client}</p><pre class="command"><code>${c.command}</code></pre>`)}
${extra}
</section>`;
