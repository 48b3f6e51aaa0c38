-- The columns of every view and materialized view with their types (format_type), in column order: what
-- `keikaku types` types a view's rows with (the schema model keeps only a view's column names).
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       a.attname::text AS column,
       format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
ORDER BY n.nspname, c.relname, a.attnum
