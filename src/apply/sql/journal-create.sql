-- keikaku's journal (DESIGN §7): one row per attempt to run one phase file of one migration, in one direction.
-- Introspection skips schema keikaku, so this table is never part of a diff. IF NOT EXISTS makes concurrent
-- first runs safe only under the advisory lock, which every writer holds; a run through a transaction-mode pooler
-- holds the lease instead (lease.ts), which creates schema keikaku too: both serialize on this transaction-level
-- lock ("keik", "aku" + 1), held to the end of the transaction this script runs in.
SELECT pg_advisory_xact_lock(1801808235, 1634432257);
CREATE SCHEMA IF NOT EXISTS keikaku;
CREATE TABLE IF NOT EXISTS keikaku.journal (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  migration    text NOT NULL,
  phase        text NOT NULL CHECK (phase IN ('expand', 'backfill', 'contract')),
  direction    text NOT NULL CHECK (direction IN ('up', 'down', 'baseline')),
  file         text NOT NULL,
  checksum     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'applied', 'reverted', 'failed')),
  steps_done   integer NOT NULL DEFAULT 0,
  steps_total  integer NOT NULL DEFAULT 0,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  duration_ms  bigint,
  applied_by   text NOT NULL,
  error        text,
  -- how to get back to just before the attempt (restore-point.ts); null for baselines
  restore_lsn   text,
  restore_at    timestamptz,
  restore_point text,
  restore_notes text[],
  -- whose journal the row belongs to: '' the database's, else the tenant schema's (apply --schemas)
  scope        text NOT NULL DEFAULT ''
);
COMMENT ON TABLE keikaku.journal IS 'keikaku: which migration phases ran here, when, by whom (one row per attempt)';
-- Rows a batched backfill has committed (render/backfill.ts): written by the backfill's DO block in the transaction of
-- each batch, so it is true after a crash; one row per attempt (journal seq), table and SET list.
CREATE TABLE IF NOT EXISTS keikaku.backfill_progress (
  seq          bigint NOT NULL,
  table_name   text NOT NULL,
  target       text NOT NULL,
  done         bigint NOT NULL,
  total        bigint NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (seq, table_name, target)
);
COMMENT ON TABLE keikaku.backfill_progress IS 'keikaku: rows each batched backfill committed, per journal attempt';

-- Journals made before restore points were recorded get their columns. Only when one is missing: ALTER TABLE
-- would take an ACCESS EXCLUSIVE lock (and need the table's owner) even when there is nothing to add.
DO $$
BEGIN
  IF (SELECT count(*) FROM pg_attribute
       WHERE attrelid = 'keikaku.journal'::regclass AND NOT attisdropped
         AND attname IN ('restore_lsn', 'restore_at', 'restore_point', 'restore_notes')) < 4 THEN
    ALTER TABLE keikaku.journal
      ADD COLUMN IF NOT EXISTS restore_lsn   text,
      ADD COLUMN IF NOT EXISTS restore_at    timestamptz,
      ADD COLUMN IF NOT EXISTS restore_point text,
      ADD COLUMN IF NOT EXISTS restore_notes text[];
  END IF;
  -- Journals made before schema per tenant: their rows are the database's (a constant default adds no rewrite).
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'keikaku.journal'::regclass AND attname = 'scope' AND NOT attisdropped) THEN
    ALTER TABLE keikaku.journal ADD COLUMN IF NOT EXISTS scope text NOT NULL DEFAULT '';
  END IF;
END
$$;
