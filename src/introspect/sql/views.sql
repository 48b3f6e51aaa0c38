-- Views and materialized views with their columns (in order) and column comments. The _RETURN rule carries a
-- view's dependencies in pg_depend, so its oid is returned to map them to the view.
WITH v AS (
  SELECT c.oid, c.reltype, c.relkind, c.relowner, c.relacl, c.reloptions, n.nspname, c.relname
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm')
    AND n.nspname NOT LIKE 'pg\_%'
    AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
),
cols AS (
  SELECT a.attrelid,
         array_agg(a.attname::text ORDER BY a.attnum) AS columns,
         array_agg(a.attnum ORDER BY a.attnum) AS positions,
         json_agg(json_build_object('column', a.attname::text, 'comment', d.description) ORDER BY a.attnum)
           FILTER (WHERE d.description IS NOT NULL) AS column_comments
  FROM v
  JOIN pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
  GROUP BY a.attrelid
)
SELECT v.oid,
       v.reltype AS type_oid,
       rt.typarray AS array_oid,
       r.oid AS rule_oid,
       v.nspname::text AS schema,
       v.relname::text AS name,
       v.relkind = 'm' AS materialized,
       pg_get_viewdef(v.oid) AS definition,
       coalesce(v.reloptions::text[], '{}') AS options,
       coalesce(k.columns, '{}') AS columns,
       coalesce(k.positions, '{}') AS positions,
       coalesce(k.column_comments, '[]') AS column_comments,
       d.description AS comment,
       CASE WHEN v.relacl IS NOT NULL THEN
         (SELECT json_agg(json_build_object(
                 'grantee', CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
                 'privilege', a.privilege_type,
                 'grantable', a.is_grantable))
         FROM aclexplode(v.relacl) a
         WHERE a.grantee <> v.relowner)
       END AS grants
FROM v
LEFT JOIN pg_type rt ON rt.oid = v.reltype
LEFT JOIN pg_rewrite r ON r.ev_class = v.oid AND r.rulename = '_RETURN'
LEFT JOIN cols k ON k.attrelid = v.oid
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = v.oid AND d.objsubid = 0
