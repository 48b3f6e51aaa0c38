-- Rows (the planner's estimate, reltuples; -1 before the first ANALYZE on PostgreSQL 14+) and total bytes
-- (table, indexes, TOAST) of every user table, for the sizes hazards name.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       greatest(c.reltuples, 0)::float8 AS rows,
       pg_total_relation_size(c.oid)::float8 AS bytes
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
