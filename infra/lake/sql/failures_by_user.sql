-- Failed logins and uploads by the user name the client claimed (extra.user; never a password or token).
SELECT coalesce(claimed_user, '(anonymous)') AS claimed_user, action, count(*) AS failures
FROM audit_facts
WHERE is_failed_login OR is_failed_upload
GROUP BY coalesce(claimed_user, '(anonymous)'), action
ORDER BY failures DESC, claimed_user, action
