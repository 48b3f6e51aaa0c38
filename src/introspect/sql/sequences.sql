-- Sequences but identity sequences (those belong to their column: pg_depend deptype 'i'). OWNED BY is the
-- deptype 'a' edge of a serial's sequence to its column.
WITH s AS (
  SELECT c.oid, n.nspname, c.relname, c.relowner, c.relacl
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S'
    AND n.nspname NOT LIKE 'pg\_%'
    AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype IN ('e', 'i'))
)
SELECT s.oid,
       s.nspname::text AS schema,
       s.relname::text AS name,
       format_type(q.seqtypid, NULL) AS type,
       q.seqstart::text AS start,
       q.seqincrement::text AS increment,
       q.seqmin::text AS min,
       q.seqmax::text AS max,
       q.seqcache::text AS cache,
       q.seqcycle AS cycle,
       own_n.nspname::text AS owned_by_schema,
       own_c.relname::text AS owned_by_table,
       own_a.attname::text AS owned_by_column,
       d.description AS comment,
       CASE WHEN s.relacl IS NOT NULL THEN
         (SELECT json_agg(json_build_object(
                 'grantee', CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END,
                 'privilege', a.privilege_type,
                 'grantable', a.is_grantable))
         FROM aclexplode(s.relacl) a
         WHERE a.grantee <> s.relowner)
       END AS grants
FROM s
JOIN pg_sequence q ON q.seqrelid = s.oid
LEFT JOIN pg_depend own
  ON own.classid = 'pg_class'::regclass AND own.objid = s.oid AND own.objsubid = 0
 AND own.refclassid = 'pg_class'::regclass AND own.refobjsubid > 0 AND own.deptype = 'a'
LEFT JOIN pg_class own_c ON own_c.oid = own.refobjid
LEFT JOIN pg_namespace own_n ON own_n.oid = own_c.relnamespace
LEFT JOIN pg_attribute own_a ON own_a.attrelid = own.refobjid AND own_a.attnum = own.refobjsubid
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = s.oid AND d.objsubid = 0
