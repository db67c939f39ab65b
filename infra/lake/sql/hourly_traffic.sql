-- Download traffic per hour (UTC) and registry: completed downloads and bytes sent.
SELECT hour, registry, sum(CASE WHEN is_download THEN 1 ELSE 0 END) AS downloads, sum(bytes_sent) AS bytes
FROM audit_facts
WHERE is_download OR bytes_sent > 0
GROUP BY hour, registry
ORDER BY hour, registry
