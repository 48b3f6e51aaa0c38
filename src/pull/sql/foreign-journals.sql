-- Tables named like another migration tool's journal ($1: the names), in any user schema.
SELECT n.nspname::text AS schema,
       c.relname::text AS name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND c.relname = ANY ($1::text[])
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname <> 'information_schema'
ORDER BY 1, 2
