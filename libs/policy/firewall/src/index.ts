// Public API of policy-firewall: the supply-chain firewall's decisions, shared by both registries.
export { parseAge, formatAge } from './lib/duration';
export {
  exemptionFor, isActive, matchesPackage, WAIVABLE_POLICIES, type Exemption, type PolicyName, type WaivablePolicy,
} from './lib/exemptions';
export {
  Firewall, indexReleases, policyOfReview, type BlockedRelease, type FirewallOptions, type Hold, type Release, type ReleaseIndex, type Review, type UndatedRule,
} from './lib/firewall';
export { refusalOf } from './lib/refusal';
export { FirewallEnv, releaseAge, firewallSettingsOf, type FirewallSettings } from './lib/firewall-env';
export {
  ExemptionSet, ExemptionInput, parseExemption, parsePolicyFile, type PolicyDocument, type PolicyDocuments,
} from './lib/exemption-set';
export { startFirewall, type RunningFirewall } from './lib/start-firewall';
export { policyAdmin, type PolicyAdmin } from './lib/policy-admin';
