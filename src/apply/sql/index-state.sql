-- An index by name in the schema of table $1 (a qualified, quoted name): whether it exists and is valid. An
-- interrupted CREATE INDEX CONCURRENTLY leaves an invalid index behind.
SELECT i.indisvalid AS valid
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
WHERE c.relname = $2::text
  AND c.relnamespace = (SELECT t.relnamespace FROM pg_catalog.pg_class t WHERE t.oid = to_regclass($1::text))
