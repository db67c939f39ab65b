import { readFile } from 'node:fs/promises';
import { ExemptionSet, parsePolicyFile, type PolicyDocuments } from './exemption-set';
import { Firewall } from './firewall';
import { provenanceRuleLookup, type FirewallSettings } from './firewall-env';
import { AdvisoryFeed } from './advisory-feed';
import { osvSourceOf } from './osv-source';

/** One app's firewall: the decisions, the exemptions they read, and the settings (the admin view shows them). */
export interface RunningFirewall {
  firewall: Firewall;
  exemptions: ExemptionSet;
  settings: FirewallSettings;
  advisories: AdvisoryFeed | undefined;
  stop(): void;
}

/**
 * Builds the firewall both apps run (createApp calls it): the policy file read once, the stored exemptions read
 * now and then every `refreshMs`, the advisory feed read now and then every `advisoryRefreshMs`. A policy file
 * that does not parse stops the start.
 */
export async function startFirewall(opts: {
  settings: FirewallSettings; documents: PolicyDocuments; now: () => number; onRefreshError: (err: unknown) => void;
}): Promise<RunningFirewall> {
  const { settings, now } = opts;
  const fromFile = settings.policyFile ? parsePolicyFile(await readFile(settings.policyFile, 'utf8'), now()) : [];
  const exemptions = new ExemptionSet({ documents: opts.documents, fromFile, refreshMs: settings.refreshMs, now, onRefreshError: opts.onRefreshError });
  await exemptions.refresh();
  exemptions.start();
  const advisories = settings.advisoryFeed === undefined ? undefined : new AdvisoryFeed({
    source: osvSourceOf(settings.advisoryFeed), refreshMs: settings.advisoryRefreshMs, blockSeverity: settings.blockSeverity, now, onRefreshError: opts.onRefreshError,
  });
  // A feed that cannot be read at start is retried on its schedule; the registry serves meanwhile.
  await advisories?.refresh().catch(opts.onRefreshError);
  advisories?.start();
  const provenanceRuleOf = provenanceRuleLookup(settings.provenanceRules);
  const firewall = new Firewall({
    minReleaseAgeMs: settings.minReleaseAgeMs, undated: settings.undated, now, exemptions: exemptions.current, advisories,
    ...(provenanceRuleOf ? { provenanceRuleOf } : {}),
  });
  return {
    firewall, exemptions, settings, advisories,
    stop: () => {
      exemptions.stop();
      advisories?.stop();
    },
  };
}
