// Public API of policy-firewall: the supply-chain firewall's decisions, shared by both registries.
export { parseAge, formatAge } from './lib/duration';
export {
  exemptionFor, isActive, matchesPackage, matchesPattern, WAIVABLE_POLICIES, type Exemption, type PolicyName, type WaivablePolicy,
} from './lib/exemptions';
export {
  Firewall, factsOfReview, indexReleases, policyOfReview, type BlockedRelease, type FirewallOptions, type Hold, type ProvenanceRule, type Release, type ReleaseIndex, type Review, type UndatedRule,
} from './lib/firewall';
export { refusalOf } from './lib/refusal';
export { FirewallEnv, releaseAge, firewallSettingsOf, provenanceRuleLookup, type FirewallSettings, type ProvenanceRuleSpec } from './lib/firewall-env';
export {
  ExemptionSet, ExemptionInput, parseExemption, parsePolicyFile, POLICY_DOCUMENT_KEY, type PolicyDocument, type PolicyDocuments,
} from './lib/exemption-set';
export { startFirewall, type RunningFirewall } from './lib/start-firewall';
export { policyAdmin, type PolicyAdmin } from './lib/policy-admin';
export { AdvisoryFeed, type AdvisoryMatch } from './lib/advisory-feed';
export { osvSourceOf, type OsvSource, type FeedRead } from './lib/osv-source';
export { isAffected, isMalicious, packageKey, SEVERITIES, type OsvRecord, type OsvAffected, type Severity, type Ecosystem } from './lib/osv';
export { bulkFromFeed, type BulkAdvisoryEntry } from './lib/bulk-advisories';
