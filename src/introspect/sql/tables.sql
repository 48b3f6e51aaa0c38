-- Ordinary and partitioned tables (relkind r, p) with their partitioning, inheritance parents, row security, options, comment and
-- grants. reltype and its array type map the table's row type to the table in dependencies. Grants leave out the
-- owner's own privileges (implicit); a NULL ACL, the default, grants others nothing. The same holds for schemas,
-- sequences, views and columns.
SELECT c.oid,
       c.reltype AS type_oid,
       rt.typarray AS array_oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       pc.oid AS parent_oid,
       pn.nspname::text AS parent_schema,
       pc.relname::text AS parent,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
       (SELECT json_agg(json_build_object('schema', qn.nspname::text, 'table', q.relname::text) ORDER BY ih.inhseqno)
        FROM pg_inherits ih
        JOIN pg_class q ON q.oid = ih.inhparent
        JOIN pg_namespace qn ON qn.oid = q.relnamespace
        WHERE ih.inhrelid = c.oid AND NOT c.relispartition) AS inherits,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security,
       coalesce(c.reloptions::text[], '{}') AS options,
       d.description AS comment,
       CASE WHEN c.relacl IS NOT NULL THEN
         (SELECT json_agg(json_build_object(
                 'grantee', CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
                 'privilege', a.privilege_type,
                 'grantable', a.is_grantable))
         FROM aclexplode(c.relacl) a
         WHERE a.grantee <> c.relowner)
       END AS grants
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_type rt ON rt.oid = c.reltype
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
