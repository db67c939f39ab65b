import { firewallSettingsOf, startFirewall, type PolicyDocument, type RunningFirewall } from '@registry/policy-firewall';
import { readJsonDocument, updateDocument } from '@registry/storage-blob-store';
import type { AppDeps } from './app';
import type { NpmProxyConfig } from './config';

/** The one exemption document both registries share (entries name their ecosystem). */
export const POLICY_DOCUMENT_KEY = 'policy/exemptions.json';

/** The firewall of this registry: REGISTRY_* settings with NPM_MIN_RELEASE_AGE winning, exemptions in the store. */
export function createRegistryFirewall(config: NpmProxyConfig, deps: Pick<AppDeps, 'store' | 'logger' | 'now'>): Promise<RunningFirewall> {
  const { store, logger } = deps;
  return startFirewall({
    settings: firewallSettingsOf(config, config.NPM_MIN_RELEASE_AGE),
    now: deps.now ?? Date.now,
    documents: {
      read: async () => (await readJsonDocument<PolicyDocument>(store, POLICY_DOCUMENT_KEY))?.value,
      update: async (mutate) => (await updateDocument<PolicyDocument>(store, POLICY_DOCUMENT_KEY, mutate)).value ?? { exemptions: [] },
    },
    onRefreshError: (err) => logger.warn({ err }, 'could not reread the firewall exemptions; keeping the last set'),
  });
}
