-- Row-level security policies; role 0 in polroles is PUBLIC.
SELECT p.oid,
       p.polrelid AS table_oid,
       n.nspname::text AS schema,
       c.relname::text AS table,
       p.polname::text AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(
         SELECT CASE r WHEN 0 THEN 'public' ELSE pg_get_userbyid(r)::text END
         FROM unnest(p.polroles) r
       ) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       d.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
