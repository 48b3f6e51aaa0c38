-- A few relations the database already holds outside system schemas, keikaku's own and extensions': a database
-- with no journal that has these was not built by the migrations. $1: a tenant schema, only whose relations count
-- (its journal is its own); '' for the database's.
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text = '' OR n.nspname = $1::text)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
LIMIT 5
