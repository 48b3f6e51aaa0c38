-- The sessions that hold a lock the backend $1 waits for, with what they are doing.
SELECT a.pid, coalesce(a.usename::text, '') AS "user", coalesce(a.application_name, '') AS application_name,
       coalesce(a.state, '') AS state, left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 200) AS query,
       CASE WHEN a.xact_start IS NULL THEN NULL
            ELSE round(extract(epoch FROM clock_timestamp() - a.xact_start)::numeric, 1)::float8 END AS xact_seconds
FROM unnest(pg_catalog.pg_blocking_pids($1::int)) AS b(pid)
JOIN pg_catalog.pg_stat_activity a ON a.pid = b.pid
ORDER BY a.pid
