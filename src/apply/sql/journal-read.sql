-- Every attempt, oldest first; NULL when the journal does not exist (nothing is created by reading).
SELECT seq::text AS seq, migration, phase, direction, file, checksum, status, steps_done, steps_total,
       to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at,
       to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS finished_at,
       duration_ms::text AS duration_ms, applied_by, error,
       -- through to_jsonb, so that a journal made before these columns existed reads too (as nulls)
       to_jsonb(journal) ->> 'restore_lsn' AS restore_lsn,
       to_char((to_jsonb(journal) ->> 'restore_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS restore_at,
       to_jsonb(journal) ->> 'restore_point' AS restore_point,
       to_jsonb(journal) -> 'restore_notes' AS restore_notes
FROM keikaku.journal
-- $1: the scope ('' the database, else a tenant schema); a journal older than the column holds the database's rows
WHERE coalesce(to_jsonb(journal) ->> 'scope', '') = $1::text
ORDER BY journal.seq
