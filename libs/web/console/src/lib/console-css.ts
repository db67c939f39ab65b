/**
 * The console's one stylesheet, served from `/-/web/console.css`: system fonts only, colours chosen for WCAG AA
 * contrast, a visible focus ring for keyboard users.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4a4a4a; --link: #0645ad; --line: #c8c8c8; --soft: #f3f3f3; --held: #7a2e00; --held-bg: #fff3e0; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.nav { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 0; padding: 0; }
form.inline { display: inline; margin: 0; }
select { font: inherit; padding: .35rem; border: 1px solid #767676; background: #fff; color: var(--fg); }
label.field { display: block; margin-top: .75rem; font-weight: 600; }
input[type=text], input[type=password], input[type=email] { font: inherit; padding: .4rem; border: 1px solid #767676; width: 100%; max-width: 24rem; display: block; }
fieldset { border: 1px solid var(--line); margin: 1rem 0; padding: .5rem 1rem 1rem; max-width: 40rem; }
.secret { background: #e8f5e9; border-left: 4px solid #1b5e20; padding: .5rem 1rem; }
.notice { background: var(--soft); border-left: 4px solid var(--muted); padding: .5rem 1rem; }
.error-message { color: #8b0000; }
.registry-results { margin-bottom: 2rem; }
.danger { border-color: #8b0000; color: #8b0000; background: #fff; }
.skip-link:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
.site-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
.search-form { display: flex; gap: .5rem; align-items: center; flex: 1; }
.search-form label { white-space: nowrap; }
.search-form input { flex: 1; max-width: 32rem; padding: .4rem; font: inherit; border: 1px solid #767676; }
button { font: inherit; padding: .4rem .8rem; border: 1px solid #404040; background: var(--soft); color: var(--fg); cursor: pointer; }
main { padding: 1rem 1.5rem 3rem; max-width: 72rem; }
.muted { color: var(--muted); }
.results { list-style: none; padding: 0; }
.results li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; gap: 2rem; }
@media (max-width: 60rem) { .layout { grid-template-columns: 1fr; } }
table { border-collapse: collapse; width: 100%; }
td.nowrap { white-space: nowrap; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
pre { background: var(--soft); padding: .75rem; overflow-x: auto; }
/* Commands and plain-text descriptions wrap: no scrolling region that a keyboard cannot reach. */
pre.command, pre.description-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.readme { border-top: 1px solid var(--line); margin-top: 1rem; }
.readme img { max-width: 100%; }
.held { background: var(--held-bg); border-left: 4px solid var(--held); padding: .5rem 1rem; }
.held strong { color: var(--held); }
.tag { display: inline-block; background: var(--soft); border: 1px solid var(--line); padding: 0 .35rem; margin-right: .25rem; font-size: .85em; }
.break { overflow-wrap: anywhere; }
`;
