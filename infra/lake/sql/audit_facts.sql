-- The audit event semantics (README, "Audit events"), as columns of one view that every lake query reads:
-- the report (DuckDB over the pyiceberg scan), the DuckDB recipe (iceberg_scan) and Spark SQL run this same
-- text. `package_events` is the events table, or the part of it a report covers.
CREATE OR REPLACE TEMPORARY VIEW audit_facts AS
SELECT
  e.*,
  -- A completed file: a GET answered 200, or 302 to the object store (extra.delivery=redirect, STORAGE_DOWNLOAD_REDIRECT).
  -- A HEAD (extra.method=HEAD, size 0) and a range (206) are not downloads.
  action = 'download' AND (status_code = 200 OR (status_code = 302 AND is_redirect)) AND NOT is_head AS is_download,
  -- Bytes delivered, of every successful download response (ranges included, HEADs are 0; a redirect's are the
  -- stored size, which the object store sent).
  CASE WHEN action = 'download' AND (status_code BETWEEN 200 AND 299 OR (status_code = 302 AND is_redirect)) THEN coalesce(size, 0) ELSE 0 END AS bytes_sent,
  -- The pull-through cache: completed downloads of packages that are not private (extra.origin=private).
  action = 'download' AND (status_code = 200 OR (status_code = 302 AND is_redirect)) AND NOT is_head AND NOT is_private AS is_pull_through,
  -- A 404 on a login route is a flow the registry does not offer (npm's web-login probe), not a failure.
  action = 'login' AND status_code >= 400 AND status_code <> 404 AS is_failed_login,
  action = 'upload' AND status_code >= 400 AS is_failed_upload,
  -- Firewall decisions carry extra.policy (and extra.advisory); a refusal is one answered with an error (403,
  -- 410); a waiver is a release an exemption let through, counted apart and never as a refusal.
  policy IS NOT NULL AS is_policy_decision,
  policy IS NOT NULL AND policy <> 'waiver' AND status_code >= 400 AS is_policy_refusal,
  coalesce(policy = 'waiver', FALSE) AS is_policy_waiver,
  date_trunc('hour', timestamp) AS hour
FROM (
  SELECT
    timestamp, event_type, registry, package, version, filename, action, source, user_agent, remote_addr,
    status_code, size,
    upper(coalesce(extra['method'], 'GET')) = 'HEAD' AS is_head,
    coalesce(extra['origin'] = 'private', FALSE) AS is_private,
    coalesce(extra['delivery'] = 'redirect', FALSE) AS is_redirect,
    extra['user'] AS claimed_user,
    extra['policy'] AS policy,
    extra['advisory'] AS advisory
  FROM package_events
) AS e
