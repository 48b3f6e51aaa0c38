-- Indexes on tables and materialized views, except those that back a constraint (the constraint is the object)
-- and a partition's indexes attached to an index of its parent (they come with the parent's index).
SELECT i.indexrelid AS oid,
       i.indrelid AS table_oid,
       n.nspname::text AS schema,
       ic.relname::text AS name,
       c.relname::text AS table,
       -- Postgres prints ON ONLY for every index of a partitioned table; kept only where it holds: an index made
       -- ON ONLY whose partitions' indexes are not all attached yet (not valid).
       CASE WHEN c.relkind = 'p' AND i.indisvalid
            THEN regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.indexrelid) END AS definition,
       i.indisunique AS unique,
       i.indkey::int2[] AS keys,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint co
    WHERE co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
