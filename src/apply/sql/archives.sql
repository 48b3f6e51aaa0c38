-- keikaku_archive's catalog: every archive with its age and size, oldest first. $1: an interval; rows older
-- than it have "expired" true. An archive whose table was dropped by hand has bytes NULL.
SELECT c.name,
       c.source,
       c.migration,
       to_char(c.archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS archived_at,
       c.archived_at < now() - $1::interval AS expired,
       pg_total_relation_size(to_regclass(format('%I.%I', 'keikaku_archive', c.name))) AS bytes
FROM keikaku_archive.catalog AS c
ORDER BY c.archived_at, c.name
