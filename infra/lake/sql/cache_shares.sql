-- Pull-through downloads by where the bytes came from (cache or upstream), and each source's share of the
-- registry's pull-through downloads. Private packages are not the cache's doing and are left out.
SELECT registry, source, downloads, downloads / sum(downloads) OVER (PARTITION BY registry) AS share
FROM (
  SELECT registry, coalesce(source, 'unknown') AS source, count(*) AS downloads
  FROM audit_facts
  WHERE is_pull_through
  GROUP BY registry, coalesce(source, 'unknown')
) AS per_source
ORDER BY registry, source
