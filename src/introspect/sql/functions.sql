-- Functions, procedures and window functions (prokind f, p, w; aggregates have no pg_get_functiondef).
-- A function's default ACL gives EXECUTE to PUBLIC, so a NULL proacl is read as acldefault: then
-- "REVOKE EXECUTE ... FROM PUBLIC" is visible as a missing PUBLIC grant.
SELECT p.oid,
       n.nspname::text AS schema,
       p.proname::text AS name,
       pg_get_function_identity_arguments(p.oid) AS identity_args,
       p.prokind = 'p' AS procedure,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
       pg_get_function_arguments(p.oid) AS args,
       pg_get_functiondef(p.oid) AS definition,
       d.description AS comment,
       (SELECT json_agg(json_build_object(
                 'grantee', CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
                 'privilege', a.privilege_type,
                 'grantable', a.is_grantable))
         FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
         WHERE a.grantee <> p.proowner) AS grants
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE p.prokind IN ('f', 'p', 'w')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'e')
