/**
 * A migration of a thousand tables runs on a server with the default lock table (`max_locks_per_transaction` 64 ×
 * `max_connections` 100, shared by every session): every object a transaction touches stays locked until it
 * commits, so one transaction for the whole down of such a migration ran out of it ("out of shared memory").
 * `keikaku diff` between an empty database and one holding 1,000 tables writes the up and the down; both run with
 * psql's semantics, and the catalog is compared after each. Server backend (two URLs).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { applyScript } from '../support/migrate.js';
import { snapshot } from '../support/snapshot.js';

const server = (await backends()).find((b) => b.name === 'server');

const TABLES = 1000;
const table = (i: number) => `
CREATE TABLE public.t${i} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  data jsonb NOT NULL DEFAULT '{}',
  parent_id bigint${i > 0 ? ` REFERENCES public.t${i - 1} (id)` : ''}
);
CREATE INDEX t${i}_parent_id ON public.t${i} (parent_id);`;

describe.skipIf(!server)('a migration larger than the lock table (server backend)', () => {
  it(`the up and the down of ${TABLES} tables both run, each in transactions the lock table holds`, async () => {
    const a = await server!.freshDb();
    const b = await server!.freshDb();
    const out = mkdtempSync(join(tmpdir(), 'kk-large-tx-'));
    try {
      for (let i = 0; i < TABLES; i += 100) await b.db.exec(Array.from({ length: 100 }, (_, k) => table(i + k)).join('\n'));
      const empty = await snapshot(a.db);
      const r = await runCli('diff', '--from', a.url!, '--to', b.url!, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      await applyScript(a.db, readFileSync(join(out, 'up.sql'), 'utf8'), a.url);
      expect(await snapshot(a.db)).toEqual(await snapshot(b.db));
      await applyScript(a.db, readFileSync(join(out, 'down.sql'), 'utf8'), a.url);
      expect(await snapshot(a.db)).toEqual(empty);
    } finally {
      rmSync(out, { recursive: true, force: true });
      await a.release();
      await b.release();
    }
  }, 600_000);
});
