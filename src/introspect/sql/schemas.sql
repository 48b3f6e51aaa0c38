-- Namespaces with their comment and grants. System schemas (every pg_* name is reserved), information_schema,
-- keikaku's own schemas and schemas created by an extension are left out; $1 narrows to the given names.
SELECT n.oid,
       n.nspname::text AS name,
       d.description AS comment,
       CASE WHEN n.nspacl IS NOT NULL THEN
         (SELECT json_agg(json_build_object(
                 'grantee', CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
                 'privilege', a.privilege_type,
                 'grantable', a.is_grantable))
         FROM aclexplode(n.nspacl) a
         WHERE a.grantee <> n.nspowner)
       END AS grants
FROM pg_namespace n
LEFT JOIN pg_description d
  ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_namespace'::regclass AND x.objid = n.oid AND x.deptype = 'e')
