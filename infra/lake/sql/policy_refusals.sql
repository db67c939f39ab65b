-- Firewall refusals (extra.policy set, answered >= 400; waivers are not refusals) by hour, registry, policy,
-- package and advisory (extra.advisory, empty when the policy names none).
SELECT
  hour,
  registry,
  policy,
  coalesce(package, '(none)') AS package,
  coalesce(advisory, '') AS advisory,
  count(*) AS refusals
FROM audit_facts
WHERE is_policy_refusal
GROUP BY hour, registry, policy, coalesce(package, '(none)'), coalesce(advisory, '')
ORDER BY hour, registry, policy, package, advisory
