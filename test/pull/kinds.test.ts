/**
 * Every object kind of DESIGN §2 through `pull` on both backends, judged by the database: schemas (comment,
 * grant), extensions and a type of one (`customType`), a composite type, a domain (collation, default, NOT NULL,
 * named check), a sequence (options, OWNED BY, grant), an unlogged table (storage parameter, RLS forced, collation,
 * stored generated column, exclusion constraint, column grants), a list-partitioned table with a default
 * partition, views (security barrier, check option, column comment, grant) and a materialized view, functions
 * (OUT arguments, attributes, SET, SECURITY DEFINER) and a procedure with a default, triggers (UPDATE OF, WHEN,
 * arguments, a deferrable constraint trigger, disabled), a restrictive policy, indexes (opclass, order, INCLUDE,
 * partial, expression, storage parameter) and comments on them. The pulled schema/ plans empty against the
 * database, but for the one thing the DSL cannot say, which pull reports: EXECUTE revoked from PUBLIC.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/index.js';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { normalize } from '../../src/load/shadow.js';
import { describeChange } from '../../src/model/describe.js';
import { plan } from '../../src/plan/index.js';
import { pull } from '../../src/pull/index.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { caseDir, tagDir } from './corpus-judge.js';

const all = await backends();

const SQL = `
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS btree_gist;
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kk_app') THEN CREATE ROLE kk_app; END IF; END $$;
CREATE SCHEMA ops;
COMMENT ON SCHEMA ops IS 'operations';
GRANT USAGE ON SCHEMA ops TO kk_app;
CREATE TYPE ops.address AS (street text, zip_code varchar(10) COLLATE "C");
CREATE DOMAIN ops.code AS varchar(8) COLLATE "C" DEFAULT 'X' NOT NULL CONSTRAINT code_upper CHECK (VALUE = upper(VALUE));
CREATE SEQUENCE ops.ticket_seq AS integer START 100 INCREMENT 5 CACHE 10;
GRANT USAGE ON SEQUENCE ops.ticket_seq TO kk_app WITH GRANT OPTION;
CREATE UNLOGGED TABLE ops.tickets (
  id integer PRIMARY KEY DEFAULT nextval('ops.ticket_seq'),
  email citext NOT NULL,
  code ops.code,
  addr ops.address,
  during tstzrange,
  room int,
  weight numeric,
  body text COLLATE "C",
  total numeric GENERATED ALWAYS AS (weight * 2) STORED,
  EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0) DEFERRABLE INITIALLY DEFERRED
) WITH (fillfactor = 70);
ALTER SEQUENCE ops.ticket_seq OWNED BY ops.tickets.id;
GRANT SELECT (email, code), UPDATE (code) ON ops.tickets TO kk_app;
CREATE TABLE ops.events (id bigint NOT NULL, region text NOT NULL, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE ops.events_eu PARTITION OF ops.events FOR VALUES IN ('eu', 'uk');
CREATE TABLE ops.events_other PARTITION OF ops.events DEFAULT;
CREATE TABLE ops.archived_tickets (archived_at timestamptz, CONSTRAINT archived_room CHECK (room > 0), UNIQUE (email, archived_at)) INHERITS (ops.tickets);
CREATE INDEX archived_tickets_room ON ops.archived_tickets (room DESC, archived_at);
CREATE MATERIALIZED VIEW ops.ticket_counts AS SELECT room, count(*) AS n FROM ops.tickets GROUP BY room WITH NO DATA;
CREATE UNIQUE INDEX ticket_counts_room ON ops.ticket_counts (room);
CREATE INDEX ticket_counts_busy ON ops.ticket_counts ((n * 2) DESC) WHERE n > 10;
CREATE VIEW ops.public_tickets WITH (security_barrier = true) AS SELECT id, email FROM ops.tickets WHERE room > 0 WITH LOCAL CHECK OPTION;
GRANT SELECT ON ops.public_tickets TO kk_app;
COMMENT ON VIEW ops.public_tickets IS 'what anyone may see';
COMMENT ON COLUMN ops.public_tickets.email IS 'the contact';
CREATE FUNCTION ops.split_name(full_name text, OUT first text, OUT last text) LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT split_part(full_name, ' ', 1), split_part(full_name, ' ', 2) $$;
CREATE FUNCTION ops.audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ops, pg_temp AS $$ BEGIN RETURN NEW; END $$;
REVOKE ALL ON FUNCTION ops.audit() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.audit() TO kk_app;
CREATE PROCEDURE ops.purge(days integer DEFAULT 30) LANGUAGE sql AS $$ DELETE FROM ops.tickets WHERE room < days $$;
CREATE TRIGGER tickets_audit AFTER UPDATE OF code, email ON ops.tickets FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION ops.audit('a', 'it''s');
CREATE CONSTRAINT TRIGGER tickets_check AFTER INSERT ON ops.tickets DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ops.audit();
ALTER TABLE ops.tickets DISABLE TRIGGER tickets_check;
ALTER TABLE ops.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ops.tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY only_rooms ON ops.tickets AS RESTRICTIVE FOR UPDATE TO kk_app USING (room > 0) WITH CHECK (room < 100);
COMMENT ON POLICY only_rooms ON ops.tickets IS 'rooms only';
COMMENT ON TRIGGER tickets_audit ON ops.tickets IS 'audit trail';
CREATE INDEX tickets_body ON ops.tickets (body text_pattern_ops DESC NULLS LAST) INCLUDE (room) WHERE (room IS NOT NULL);
CREATE UNIQUE INDEX tickets_email ON ops.tickets (lower(email::text)) WITH (fillfactor = 80);
COMMENT ON INDEX ops.tickets_body IS 'body search';
`;

beforeAll(() => ensureBuilt());

describe.each(all)('every object kind through pull ($title)', (backend) => {
  const dir = caseDir('kinds', `${backend.name}-${process.pid}`);
  afterAll(() => rmSync(tagDir('kinds'), { recursive: true, force: true }));

  it('comes back as declarations that plan empty, but for what pull reports', async () => {
    const fresh = await backend.freshDb({ extensions: ['citext', 'btree_gist'] });
    try {
      await fresh.db.exec(SQL);
      mkdirSync(dir, { recursive: true });
      const pulled = await pull(fresh.db, { dir, schemas: null });
      expect(pulled.notes).toEqual(['function ops.audit(): EXECUTE is revoked from PUBLIC, which the DSL cannot say']);
      expect(pulled.counts).toEqual({ schema: 1, extension: 2, custom: 1, domain: 1, composite: 1, sequence: 1, function: 3, table: 5, view: 2 });
      const desired = await normalize(await loadSchemaDir(join(dir), { cwd: dir }), { shadowUrl: backend.serverUrl });
      expect(plan(diff(pulled.schema, desired)).steps.map((s) => describeChange(s.change))).toEqual(['alter function ops.audit()']);
    } finally {
      await fresh.release();
    }
  });
});
