-- The tenant schemas of a database: names LIKE $1 (a pattern as written by the user), without the system's,
-- keikaku's own and the template schema $2 (which the migrations themselves build). Sorted bytewise, so the order
-- does not depend on the database's collation.
SELECT n.nspname::text AS name
FROM pg_catalog.pg_namespace n
WHERE n.nspname LIKE $1::text
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND n.nspname <> $2::text
ORDER BY n.nspname COLLATE "C"
