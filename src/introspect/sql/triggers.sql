-- User triggers on tables and views: not internal ones (foreign keys), not the clones a partition gets from a
-- trigger on its parent (tgparentid, PostgreSQL 13+).
SELECT t.oid,
       t.tgrelid AS table_oid,
       n.nspname::text AS schema,
       c.relname::text AS table,
       t.tgname::text AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled,
       d.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND c.relkind IN ('r', 'p', 'v')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
