import { AppError } from '@registry/shared-errors';
import { formatAge } from './duration';
import type { RunningFirewall } from './start-firewall';

/** The admin view and its writes, transport-free (each app's `/-/policy/...` routes call these). */
export interface PolicyAdmin {
  /** What is held now and why, which exemptions apply and until when, and the settings. */
  view(): Record<string, unknown>;
  exemptions(): Record<string, unknown>;
  addExemption(body: unknown, by: string): Promise<Record<string, unknown>>;
  removeExemption(id: string): Promise<void>;
  /** Rereads the advisory feed now (conditional read); AppError('not_found') when none is configured. */
  refreshAdvisories(): Promise<Record<string, unknown>>;
}

export function policyAdmin(running: RunningFirewall): PolicyAdmin {
  const { firewall, exemptions, settings, advisories } = running;
  return {
    view: () => ({
      now: new Date(firewall.now()).toISOString(),
      cooldown: settings.minReleaseAgeMs > 0 ? { minReleaseAge: formatAge(settings.minReleaseAgeMs), undated: settings.undated } : null,
      blocked: firewall.blockedNow().map((b) => ({
        ecosystem: b.ecosystem, package: b.package, release: b.release, policy: b.policy, reason: b.message,
        advisory: b.advisory ?? null,
        publishedAt: b.publishedAt === undefined ? null : new Date(b.publishedAt).toISOString(),
        availableAt: b.availableAt === undefined ? null : new Date(b.availableAt).toISOString(),
      })),
      exemptions: exemptions.list(),
      advisories: advisories ? { ...advisories.status(), blockSeverity: settings.blockSeverity ?? null } : null,
    }),
    exemptions: () => ({ exemptions: exemptions.list() }),
    addExemption: async (body, by) => ({ ...(await exemptions.add(body, by)) }),
    refreshAdvisories: async () => {
      if (!advisories) throw new AppError('not_found', 'no advisory feed is configured (REGISTRY_ADVISORY_FEED)');
      await advisories.refresh();
      return advisories.status();
    },
    removeExemption: async (id) => {
      if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new AppError('invalid_request', `not an exemption id: ${id}`);
      await exemptions.remove(id);
    },
  };
}
