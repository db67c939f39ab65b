-- Completed downloads with who (extra.user), from where (remote_addr), when and from which source: the rows the
-- report's exposure matches against an OSV feed (the version matching is OSV's, registry_lake/report/osv.py).
SELECT
  timestamp, registry, package, version, filename, source, coalesce(claimed_user, '(anonymous)') AS claimed_user,
  remote_addr
FROM audit_facts
WHERE is_download AND version IS NOT NULL
ORDER BY timestamp, registry, package, version
