-- What a row-loss check needs of table $1 (a qualified, quoted name) and column $2 (null for the table itself):
-- whether the table exists, the column's type as format_type prints it (null when absent), and the primary key
-- columns in key order as a JSON array (null when none).
SELECT c.oid IS NOT NULL AS table_exists,
       (SELECT pg_catalog.format_type(a.atttypid, a.atttypmod)
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attname = $2::text AND a.attnum > 0 AND NOT a.attisdropped) AS column_type,
       (SELECT pg_catalog.json_agg(a.attname::text ORDER BY k.ord)::text
          FROM pg_catalog.pg_constraint p
          CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ord)
          JOIN pg_catalog.pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum
         WHERE p.conrelid = c.oid AND p.contype = 'p') AS pk
FROM (SELECT pg_catalog.to_regclass($1::text) AS oid) AS c
