-- Every live column of every table (relkind r, p), inherited ones included: deciding which columns are a
-- partition's own needs its parent's columns too. An identity column's sequence is its deptype 'i' dependent.
SELECT a.attrelid AS table_oid,
       a.attnum AS position,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       -- PostgreSQL 18: the column's own NOT NULL constraint (an inherited one is named by its parent).
       (SELECT nn.conname::text FROM pg_constraint nn
        WHERE nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum AND nn.conislocal) AS not_null_name,
       a.attgenerated::text AS generated_kind,
       ad.oid AS default_oid,
       pg_get_expr(ad.adbin, ad.adrelid) AS expression,
       a.attidentity::text AS identity_kind,
       idn.seq_schema AS identity_sequence_schema,
       idn.seq_name AS identity_sequence_name,
       idn.seq_type AS identity_type,
       idn.seqstart::text AS identity_start,
       idn.seqincrement::text AS identity_increment,
       idn.seqmin::text AS identity_min,
       idn.seqmax::text AS identity_max,
       idn.seqcache::text AS identity_cache,
       idn.seqcycle AS identity_cycle,
       CASE
         WHEN co.oid IS NULL THEN NULL
         WHEN con.nspname = 'pg_catalog' THEN quote_ident(co.collname)
         ELSE quote_ident(con.nspname) || '.' || quote_ident(co.collname)
       END AS collation,
       a.attislocal AS is_local,
       a.attinhcount AS inherited_count,
       d.description AS comment,
       CASE WHEN a.attacl IS NOT NULL THEN
         (SELECT json_agg(json_build_object(
                 'grantee', CASE x.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END,
                 'privilege', x.privilege_type,
                 'grantable', x.is_grantable))
         FROM aclexplode(a.attacl) x
         WHERE x.grantee <> c.relowner)
       END AS grants
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0 AND a.attcollation <> t.typcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN (
  SELECT dep.refobjid, dep.refobjsubid,
         sn.nspname::text AS seq_schema, sc.relname::text AS seq_name, format_type(q.seqtypid, NULL) AS seq_type,
         q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle
  FROM pg_depend dep
  JOIN pg_sequence q ON q.seqrelid = dep.objid
  JOIN pg_class sc ON sc.oid = dep.objid
  JOIN pg_namespace sn ON sn.oid = sc.relnamespace
  WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
    AND dep.deptype = 'i' AND dep.refobjsubid > 0
) idn ON a.attidentity <> '' AND idn.refobjid = a.attrelid AND idn.refobjsubid = a.attnum
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend x
    WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
