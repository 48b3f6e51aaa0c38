-- Installed extensions but plpgsql (always there). An extension may live in pg_catalog, so only keikaku's schemas
-- and the $1 filter apply to its schema.
SELECT e.oid,
       e.extname::text AS name,
       n.nspname::text AS schema,
       e.extversion AS version
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'
  AND n.nspname NOT IN ('keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
