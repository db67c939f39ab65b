-- Headline figures per registry; the report adds a row of zeros for a registry without events.
SELECT
  registry,
  sum(CASE WHEN is_download THEN 1 ELSE 0 END) AS downloads,
  sum(bytes_sent) AS bytes,
  sum(CASE WHEN is_pull_through THEN 1 ELSE 0 END) AS pull_through_downloads,
  sum(CASE WHEN is_pull_through AND source = 'cache' THEN 1 ELSE 0 END) AS cache_hits,
  sum(CASE WHEN is_download AND is_private THEN 1 ELSE 0 END) AS private_downloads,
  sum(CASE WHEN is_failed_login THEN 1 ELSE 0 END) AS failed_logins,
  sum(CASE WHEN is_failed_upload THEN 1 ELSE 0 END) AS failed_uploads
FROM audit_facts
GROUP BY registry
ORDER BY registry
