-- A table's own constraints: not NOT NULL (contype 'n', PostgreSQL 18: a column property here), not constraint
-- triggers ('t'), not those inherited from a parent table or cloned onto a partition from its parent's
-- (conislocal false, conparentid set). conindid of a primary key, unique or exclusion constraint is the index
-- that backs it.
SELECT co.oid,
       co.conrelid AS table_oid,
       co.conname::text AS name,
       co.contype::text AS type,
       pg_get_constraintdef(co.oid) AS definition,
       co.convalidated AS validated,
       coalesce(co.conkey, '{}') AS keys,
       co.conindid AS index_oid,
       rn.nspname::text AS ref_schema,
       rc.relname::text AS ref_table,
       d.description AS comment
FROM pg_constraint co
JOIN pg_class c ON c.oid = co.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON co.contype = 'f' AND rc.oid = co.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = co.oid AND d.objsubid = 0
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x')
  AND co.conislocal AND co.conparentid = 0
  AND c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
