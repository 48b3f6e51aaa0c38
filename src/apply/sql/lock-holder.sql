-- Who holds keikaku's advisory lock ($1, $2: the two int4 keys) on this database, if anyone.
SELECT a.pid, a.usename::text AS "user", a.application_name, a.client_addr::text AS client,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted
  AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
