-- Domains with their CHECK constraints. NOT NULL comes from typnotnull: PostgreSQL 17+ also records it as a
-- pg_constraint row (contype 'n'), which is left out here.
WITH t AS (
  SELECT t.oid, t.typarray, n.nspname, t.typname, t.typbasetype, t.typtypmod, t.typnotnull, t.typcollation,
         t.typdefaultbin, t.typdefault
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'd'
    AND n.nspname NOT LIKE 'pg\_%'
    AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
),
checks AS (
  SELECT c.contypid,
         json_agg(json_build_object(
           'oid', c.oid,
           'name', c.conname::text,
           'definition', pg_get_constraintdef(c.oid),
           'validated', c.convalidated)) AS checks
  FROM t JOIN pg_constraint c ON c.contypid = t.oid
  WHERE c.contype = 'c'
  GROUP BY c.contypid
)
SELECT t.oid,
       t.typarray AS array_oid,
       t.nspname::text AS schema,
       t.typname::text AS name,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull AS not_null,
       coalesce(pg_get_expr(t.typdefaultbin, 0), t.typdefault) AS default,
       CASE
         WHEN co.oid IS NULL THEN NULL
         WHEN con.nspname = 'pg_catalog' THEN quote_ident(co.collname)
         ELSE quote_ident(con.nspname) || '.' || quote_ident(co.collname)
       END AS collation,
       coalesce(k.checks, '[]') AS checks,
       d.description AS comment
FROM t
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation
LEFT JOIN pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN checks k ON k.contypid = t.oid
LEFT JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
