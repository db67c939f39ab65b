-- Headline figures over every registry (distinct users and addresses are not the sum of the registries').
SELECT
  count(*) AS events,
  coalesce(sum(CASE WHEN is_download THEN 1 ELSE 0 END), 0) AS downloads,
  coalesce(sum(bytes_sent), 0) AS bytes,
  count(DISTINCT CASE WHEN status_code < 400 THEN claimed_user END) AS unique_users,
  count(DISTINCT remote_addr) AS unique_addresses,
  coalesce(sum(CASE WHEN is_failed_login THEN 1 ELSE 0 END), 0) AS failed_logins,
  coalesce(sum(CASE WHEN is_failed_upload THEN 1 ELSE 0 END), 0) AS failed_uploads,
  coalesce(sum(CASE WHEN is_policy_decision THEN 1 ELSE 0 END), 0) AS policy_decisions,
  coalesce(sum(CASE WHEN is_policy_refusal THEN 1 ELSE 0 END), 0) AS policy_refusals,
  coalesce(sum(CASE WHEN is_policy_waiver THEN 1 ELSE 0 END), 0) AS policy_waivers
FROM audit_facts
