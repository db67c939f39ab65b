-- Most downloaded packages per registry: completed downloads, and every byte sent for the package.
SELECT registry, package, downloads, bytes,
       row_number() OVER (PARTITION BY registry ORDER BY downloads DESC, package) AS rank_in_registry
FROM (
  SELECT registry, coalesce(package, '-') AS package,
         sum(CASE WHEN is_download THEN 1 ELSE 0 END) AS downloads, sum(bytes_sent) AS bytes
  FROM audit_facts
  WHERE bytes_sent > 0 OR is_download
  GROUP BY registry, coalesce(package, '-')
) AS per_package
WHERE downloads > 0
ORDER BY registry, downloads DESC, package
