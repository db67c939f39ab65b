// Public API of policy-firewall: the supply-chain firewall's decisions, shared by both registries.
export { parseAge, formatAge } from './lib/duration';
export {
  exemptionFor, isActive, matchesPackage, WAIVABLE_POLICIES, type Exemption, type PolicyName, type WaivablePolicy,
} from './lib/exemptions';
export {
  Firewall, indexReleases, policyOfReview, type FirewallOptions, type Hold, type Release, type ReleaseIndex, type Review, type UndatedRule,
} from './lib/firewall';
export { refusalOf } from './lib/refusal';
export { FirewallEnv, releaseAge, firewallSettingsOf, type FirewallSettings } from './lib/firewall-env';
