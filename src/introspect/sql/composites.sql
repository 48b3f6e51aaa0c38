-- Stand-alone composite types (CREATE TYPE ... AS (...)): a pg_type row whose relation has relkind 'c'.
-- Row types of tables and views are the relations themselves.
WITH t AS (
  SELECT t.oid, t.typarray, t.typrelid, n.nspname, t.typname
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
  WHERE t.typtype = 'c'
    AND n.nspname NOT LIKE 'pg\_%'
    AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
),
attrs AS (
  SELECT a.attrelid,
         json_agg(json_build_object(
           'name', a.attname::text,
           'type', format_type(a.atttypid, a.atttypmod),
           'collation', CASE
             WHEN co.oid IS NULL THEN NULL
             WHEN con.nspname = 'pg_catalog' THEN quote_ident(co.collname)
             ELSE quote_ident(con.nspname) || '.' || quote_ident(co.collname)
           END) ORDER BY a.attnum) AS attributes
  FROM t
  JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type at ON at.oid = a.atttypid
  LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0 AND a.attcollation <> at.typcollation
  LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
  GROUP BY a.attrelid
)
SELECT t.oid,
       t.typarray AS array_oid,
       t.typrelid AS class_oid,
       t.nspname::text AS schema,
       t.typname::text AS name,
       coalesce(x.attributes, '[]') AS attributes,
       d.description AS comment
FROM t
LEFT JOIN attrs x ON x.attrelid = t.typrelid
LEFT JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
