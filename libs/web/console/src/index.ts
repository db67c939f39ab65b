// Public API of web-console: the console's pages as HTML strings from plain view models, and its routes (the
// same on both registries) over ports each app fills.
export { renderSearchPage } from './lib/search-page';
export { renderPackagePage } from './lib/package-page';
export { renderProjectPage } from './lib/project-page';
export { renderErrorPage } from './lib/layout';
export { renderLoginPage, renderAccountPage, type AccountView } from './lib/account-pages';
export { renderAdminPage, type AdminView, type PublishRulesView } from './lib/admin-pages';
export { renderReadme } from './lib/readme';
export { CONSOLE_CSS } from './lib/console-css';
export { packageHref, projectHref, WEB_BASE } from './lib/html';
export { renderUsagePage } from './lib/usage-page';
export {
  parseUsageSnapshot, USAGE_SNAPSHOT_KEY, USAGE_STALE_AFTER_MS, UsageSnapshotSchema, type PackageUsageView, type RegistryUsageView, type UsageCounts, type UsageSnapshot,
} from './lib/usage';
export { consoleRouter, type ConsoleKit } from './lib/routes/console-router';
export { SESSION_COOKIE, FORM_COOKIE } from './lib/routes/session';
export type {
  ConsoleAudit, ConsoleIdentity, ConsoleOptions, ConsolePrincipal, ConsoleRoute, ConsoleToken, ConsoleUser, LocalSearch, OwnPackage, UsageSnapshotSource,
} from './lib/routes/ports';
export type {
  ConsoleChrome, CoreMetadataView, DependencyGroup, FileFacts, HeldVersion, HoldView, InstallCommand, PackageView, PypiFileRow, PypiProjectView,
  PypiVersionRow, RegistryFilter, RegistryName, RegistryResults, SearchHit, SearchView, VersionRow,
} from './lib/view-model';
