-- Usage per registry (the console's usage snapshot): the totals of usage_by_version.sql, counted by the same
-- rules, over every completed download of the window (one without a package name included).
SELECT
  registry,
  sum(CASE WHEN is_download THEN 1 ELSE 0 END) AS downloads,
  sum(CASE WHEN is_pull_through AND source = 'cache' THEN 1 ELSE 0 END) AS cache,
  sum(CASE WHEN is_pull_through AND source = 'upstream' THEN 1 ELSE 0 END) AS upstream,
  sum(CASE WHEN is_download AND is_private THEN 1 ELSE 0 END) AS private
FROM audit_facts
WHERE is_download
GROUP BY registry
ORDER BY registry
