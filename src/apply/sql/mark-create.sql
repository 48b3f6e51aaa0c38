-- Which kind of environment this database is, recorded in the database itself, so that every route to it (another
-- host name, a socket, another role) finds the same answer. One row per kind; only `production` exists so far.
-- The server's identity at marking time says whether a marked database is the original or a restored copy.
CREATE SCHEMA IF NOT EXISTS keikaku;
CREATE TABLE IF NOT EXISTS keikaku.environment_mark (
  kind               text PRIMARY KEY CHECK (kind IN ('production')),
  marked_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  marked_by          text NOT NULL,
  system_identifier  text,
  database           text NOT NULL
);
