-- Usage per version (the console's usage snapshot, `registry_lake.usage`): completed downloads of each version,
-- and of those the pull-through ones by where the bytes came from (cache or upstream); downloads of private
-- packages (extra.origin=private) are counted apart, as neither. The window is the rows of `package_events`.
SELECT
  registry, package, version,
  sum(CASE WHEN is_download THEN 1 ELSE 0 END) AS downloads,
  sum(CASE WHEN is_pull_through AND source = 'cache' THEN 1 ELSE 0 END) AS cache,
  sum(CASE WHEN is_pull_through AND source = 'upstream' THEN 1 ELSE 0 END) AS upstream,
  sum(CASE WHEN is_download AND is_private THEN 1 ELSE 0 END) AS private
FROM audit_facts
WHERE is_download AND package IS NOT NULL
GROUP BY registry, package, version
ORDER BY registry, package, version
