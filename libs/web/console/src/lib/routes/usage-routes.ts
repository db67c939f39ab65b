import type { Router } from 'express';
import { isAppError } from '@registry/shared-errors';
import { WEB_BASE } from '../html';
import { packageUsageOf, registryUsageOf, type PackageUsageView, type RegistryUsageView, type UsageSnapshot } from '../usage';
import { renderUsagePage } from '../usage-page';
import type { ConsoleKit } from './console-router';
import type { ConsoleOptions } from './ports';

/** Packages the registry-wide page lists. */
const TOP_PACKAGES = 100;

type Read = { state: 'missing' } | { state: 'unreadable'; reason: string } | { state: 'ready'; snapshot: UsageSnapshot };

/**
 * The usage snapshot as the pages show it. A snapshot that cannot be read (the store failing, a document that is
 * not a snapshot) is said on the page instead of failing it: usage is beside what the page is for.
 */
export function usageReader(opts: Pick<ConsoleOptions, 'registry' | 'usage' | 'now'>): {
  packageUsage(name: string): Promise<PackageUsageView>;
  registryUsage(): Promise<RegistryUsageView>;
} {
  const read = async (): Promise<Read> => {
    try {
      const snapshot = await opts.usage();
      return snapshot ? { state: 'ready', snapshot } : { state: 'missing' };
    } catch (err) {
      return { state: 'unreadable', reason: isAppError(err) ? err.publicMessage : err instanceof Error ? err.message : 'unknown error' };
    }
  };
  return {
    packageUsage: async (name) => {
      const r = await read();
      return r.state === 'ready' ? packageUsageOf(r.snapshot, opts.registry, name, opts.now()) : r;
    },
    registryUsage: async () => {
      const r = await read();
      return r.state === 'ready' ? registryUsageOf(r.snapshot, opts.registry, opts.now(), TOP_PACKAGES) : r;
    },
  };
}

/** `/-/web/usage`: the registry-wide usage, under the same access rule as the package pages (`read`). */
export function usageRoutes(router: Router, opts: ConsoleOptions, kit: ConsoleKit, usage: ReturnType<typeof usageReader>): void {
  router.get(`${WEB_BASE}/usage`, opts.route('read', () => ({}), async (req, res) => {
    kit.send(res, 200, renderUsagePage(await usage.registryUsage(), kit.chromeOf(req, res)));
  }));
}
