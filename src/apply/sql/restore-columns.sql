-- The stored columns of table $1 (a qualified, quoted name) that archive table $2 (same) also has, in column
-- order, each with whether it draws from a sequence (identity or serial): what a restore inserts.
SELECT a.attname::text AS name,
       (a.attidentity <> '' OR pg_catalog.pg_get_serial_sequence($1::text, a.attname::text) IS NOT NULL) AS sequence
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = pg_catalog.to_regclass($1::text) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute b
               WHERE b.attrelid = pg_catalog.to_regclass($2::text) AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped)
ORDER BY a.attnum
