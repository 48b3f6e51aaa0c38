-- Enum types with their labels in sort order.
WITH t AS (
  SELECT t.oid, t.typarray, n.nspname, t.typname
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e'
    AND n.nspname NOT LIKE 'pg\_%'
    AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend x
      WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
),
labels AS (
  SELECT e.enumtypid, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
  FROM t JOIN pg_enum e ON e.enumtypid = t.oid
  GROUP BY e.enumtypid
)
SELECT t.oid,
       t.typarray AS array_oid,
       t.nspname::text AS schema,
       t.typname::text AS name,
       coalesce(l.labels, '{}') AS labels,
       d.description AS comment
FROM t
LEFT JOIN labels l ON l.enumtypid = t.oid
LEFT JOIN pg_description d ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid AND d.objsubid = 0
