// Public API of web-console: the console's pages as HTML strings, rendered from plain view models.
export { renderSearchPage } from './lib/search-page';
export { renderPackagePage } from './lib/package-page';
export { renderErrorPage } from './lib/layout';
export { renderReadme } from './lib/readme';
export { CONSOLE_CSS } from './lib/console-css';
export { packageHref, WEB_BASE } from './lib/html';
export type { DependencyGroup, FileFacts, HeldVersion, HoldView, InstallCommand, PackageView, SearchHit, SearchView, VersionRow } from './lib/view-model';
