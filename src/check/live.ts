/**
 * The database part of `check`: what its journal says is applied, and whether its schema is what those applied
 * phases make (drift). Both sides are compared on one PostgreSQL version (DESIGN §1): the applied phase files are
 * replayed on a scratch database of the live server itself; where that server refuses a scratch database (no
 * CREATEDB), they are replayed on a server of the same major started locally (load/shadow-choice.ts), else the
 * live schema is passed through the embedded PGlite shadow, and the files replayed there too.
 */
import { inRecovery } from '../apply/standby.js';
import { join } from 'node:path';
import { squashedJournal } from '../apply/squashed.js';
import { phaseFiles, phaseStates, readJournal, stateKey, type JournalEntry } from '../apply/journal.js';
import { UserError } from '../db/errors.js';
import { loadSql } from '../db/load-sql.js';
import { connectPg } from '../db/pg.js';
import { createScratchDatabase } from '../db/scratch.js';
import type { Db } from '../db/types.js';
import { maskUrl } from '../db/url.js';
import { sha256 } from '../emit/checksum.js';
import { PHASE_NUMBER } from '../emit/migration.js';
import { renderSchemaSql } from '../emit/schema-sql.js';
import { cachedSchema } from '../load/cache.js';
import { withShadow } from '../load/history-schema.js';
import { sameMajorEmbedded } from '../load/shadow-choice.js';
import type { Migration } from '../load/migrations.js';
import { readSchema } from '../load/source.js';
import { introspect } from '../introspect/index.js';
import type { Schema } from '../model/schema.js';
import type { PhaseName } from '../model/plan.js';
import { dollarQuoted, ident, literal } from '../render/quote.js';

const PHASES = Object.keys(PHASE_NUMBER) as PhaseName[];

/** One phase file the journal says is applied, in the order it ran. */
export interface AppliedFile {
  readonly migration: Migration;
  readonly phase: PhaseName;
  readonly file: string;
}

export interface PhaseIssue {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly file: string;
  readonly state: 'pending' | 'running' | 'failed';
  readonly error: string | null;
}

/** The journal held against the migration directory. */
export interface JournalView {
  readonly hasJournal: boolean;
  readonly applied: readonly AppliedFile[];
  readonly issues: readonly PhaseIssue[];
  /** An applied file whose content is no longer what ran, or a migration the directory does not have. */
  readonly mismatches: readonly { readonly migration: string; readonly file: string | null; readonly message: string }[];
}

export const journalView = (migrations: readonly Migration[], entries: readonly JournalEntry[]): JournalView => {
  const states = phaseStates(entries);
  const applied: (AppliedFile & { seq: number })[] = [];
  const issues: PhaseIssue[] = [];
  const mismatches: JournalView['mismatches'][number][] = [];
  for (const m of migrations) {
    for (const [phase, file] of phaseFiles(m)) {
      const st = states.get(stateKey(m.id, phase));
      if (st?.state === 'applied' && st.applied) {
        applied.push({ migration: m, phase, file, seq: st.applied.seq });
        if (st.applied.checksum !== sha256(m.files.get(file)!))
          mismatches.push({ migration: m.id, file, message: `${m.id}/${file} differs from the version the database ran (${st.applied.startedAt})` });
      } else {
        issues.push({ migration: m.id, phase, file, state: st?.state === 'running' || st?.state === 'failed' ? st.state : 'pending', error: st?.last?.error ?? null });
      }
    }
  }
  const known = new Set(migrations.map((m) => m.id));
  for (const id of [...new Set(entries.map((e) => e.migration))].sort())
    if (!known.has(id) && PHASES.some((p) => states.get(stateKey(id, p))?.state === 'applied'))
      mismatches.push({ migration: id, file: null, message: `the database has applied ${id}, which generated/migrations does not have (removed, or another project's database)` });
  applied.sort((a, b) => a.seq - b.seq);
  return { hasJournal: entries.length > 0, applied: applied.map(({ seq: _seq, ...f }) => f), issues, mismatches };
};

const replayFiles = async (db: Db, files: readonly AppliedFile[]) => {
  for (const f of files) await loadSql(db, f.migration.files.get(f.file)!, join(f.migration.dir, f.file));
};

/** Roles a schema grants to or names in policies: the server's, so an embedded shadow must create them. */
const rolesOf = (s: Schema): string[] => {
  const roles = new Set<string>();
  const add = (gs: readonly { grantee: string }[]) => gs.forEach((g) => roles.add(g.grantee));
  [s.schemas, s.sequences, s.tables, s.views, s.functions].forEach((list) => list.forEach((o) => add(o.grants)));
  s.tables.forEach((t) => t.columns.forEach((c) => add(c.grants)));
  s.policies.forEach((p) => p.roles.forEach((r) => roles.add(r)));
  return [...roles].filter((r) => r.toLowerCase() !== 'public').sort();
};

/** A live schema rendered to DDL and read back from the embedded shadow: the shadow's own printing of it. */
const throughEmbeddedShadow = async (live: Schema, cacheRoot: string | null): Promise<Schema> => {
  const sql = renderSchemaSql(live);
  const roles = rolesOf(live);
  return cachedSchema(cacheRoot, ['live-through-shadow', 'pglite', roles.join(','), sql], () => withShadow(sql, {}, async (db) => {
    if (roles.length)
      await db.exec(
        `DO ${dollarQuoted(` BEGIN\n${roles.map((r) => `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(r)}) THEN CREATE ROLE ${ident(r)} NOLOGIN; END IF;`).join('\n')}\nEND `, '$roles$')}`,
      );
    await db.exec('SET check_function_bodies = off');
    await loadSql(db, sql, '(the live schema, rendered)');
    return readSchema(db);
  }));
};

export type LiveShadow = 'auto' | 'live-server' | 'embedded';

export interface LiveState {
  readonly target: string;
  readonly journal: JournalView;
  /** The live schema and the schema its applied phases make, read on one PostgreSQL version. */
  readonly live: Schema;
  readonly expected: Schema;
  readonly normalization: string;
}

export interface ReadLiveOptions {
  /** `auto`: a scratch database on the live server, else the embedded shadow when the server refuses one. */
  readonly shadow?: LiveShadow | undefined;
  /** The project root, to cache what the embedded shadow reads back (`load/cache.ts`); none when absent. */
  readonly cacheRoot?: string | undefined;
}

/** The schema the applied phases make, and on what it was read; `embedded`: the live schema must go through it too. */
export interface Replayed {
  readonly expected: Schema;
  readonly normalization: string;
  readonly embedded: boolean;
}

/**
 * Replays `applied` on a scratch database of the live server, else (auto) a server of its major started locally,
 * else the embedded shadow. `prelude`: SQL run first (a template schema the migrations do not create).
 */
const replayApplied = async (url: string, applied: readonly AppliedFile[], shadow: LiveShadow, standby: boolean, cacheRoot: string | null, prelude = ''): Promise<Replayed> => {
  const target = maskUrl(url);
  const replay = async (db: Db) => {
    if (prelude) await db.exec(prelude);
    await replayFiles(db, applied);
    return readSchema(db);
  };
  // A hot standby is read-only: no scratch database is tried there (CREATE DATABASE would fail), a server of its
  // major (or the embedded shadow) replays the migrations instead.
  if (shadow === 'live-server' && standby) throw new UserError(`${target} is a hot standby (read-only): it cannot hold a scratch database; use another shadow`);
  if (shadow !== 'embedded' && !standby) {
    let scratch;
    try {
      scratch = await createScratchDatabase(url);
    } catch (e) {
      if (shadow === 'live-server' || !(e instanceof UserError)) throw e;
    }
    if (scratch) {
      try {
        return { expected: await replay(scratch.db), normalization: 'applied migrations replayed on a scratch database of the same server', embedded: false };
      } finally {
        await scratch.drop();
      }
    }
  }
  // A server of the live major started locally: the live schema is then compared as the server prints it.
  const same = shadow === 'auto' ? await sameMajorEmbedded(url) : null;
  if (same) {
    try {
      const expected = await withShadow('', { shadowUrl: same.shadowUrl }, replay);
      return { expected, normalization: `applied migrations replayed on ${same.description}`, embedded: false };
    } finally {
      await same.release();
    }
  }
  const allSql = [prelude, ...applied.map((f) => f.migration.files.get(f.file)!)].join('\n');
  // One embedded shadow at a time: each costs ~700 MB.
  const expected = await cachedSchema(cacheRoot, ['applied-phases', 'pglite', allSql], () => withShadow(allSql, {}, replay));
  return { expected, normalization: 'live schema and applied migrations both read back from the embedded shadow', embedded: true };
};

/** One read of the live database (never a write): its journal (of `scope`, a tenant schema), schema and role. */
const readDatabase = async (
  url: string,
  migrations: readonly Migration[],
  read: (db: Db) => Promise<Schema>,
  scope?: string,
): Promise<{ readonly entries: JournalEntry[]; readonly live: Schema; readonly standby: boolean }> => {
  const db = await connectPg(url);
  try {
    const entries = squashedJournal({ migrations }, await (scope === undefined ? readJournal(db) : readJournal(db, scope)));
    return { entries, live: await read(db), standby: await inRecovery(db) };
  } finally {
    await db.close();
  }
};

/** Reads the live database (never writes to it) and replays its applied phases in a scratch database. */
export const readLive = async (url: string, migrations: readonly Migration[], options: ReadLiveOptions = {}): Promise<LiveState> => {
  const cacheRoot = options.cacheRoot ?? null;
  const target = maskUrl(url);
  const { entries, live, standby } = await readDatabase(url, migrations, readSchema);
  const journal = journalView(migrations, entries);
  const r = await replayApplied(url, journal.applied, options.shadow ?? 'auto', standby, cacheRoot);
  return { target, journal, live: r.embedded ? await throughEmbeddedShadow(live, cacheRoot) : live, expected: r.expected, normalization: r.normalization };
};

/** What one fleet run of `check --schemas` shares between its tenants: the template replayed once per applied set. */
export type ReplayMemo = Map<string, Promise<Replayed>>;

/**
 * `readLive` for one tenant schema (`check --schemas`, docs/fleets.md): the tenant's journal scope says what is
 * applied; those phase files are replayed as written, for the template schema (once per applied set and server
 * version, through `memo`); the live side is the tenant schema alone. Both are returned as the tenant schema
 * (tenant/model.ts `schemaAs`: the template's objects named as the tenant's), without any other schema.
 */
export const readTenantLive = async (
  url: string,
  migrations: readonly Migration[],
  tenant: { readonly schema: string; readonly template: string },
  memo: ReplayMemo,
  options: ReadLiveOptions = {},
): Promise<LiveState> => {
  const cacheRoot = options.cacheRoot ?? null;
  const shadow = options.shadow ?? 'auto';
  const target = maskUrl(url);
  const { entries, live, standby } = await readDatabase(url, migrations, (db) => introspect(db, { schemas: [tenant.schema] }), tenant.schema);
  const journal = journalView(migrations, entries);
  const applied = journal.applied.map((f) => `${f.migration.id}/${f.file}`).join('\n');
  const key = JSON.stringify([live.serverVersion, standby, shadow, tenant.template, applied]);
  let replayed = memo.get(key);
  if (replayed === undefined) {
    // The template schema exists in a new database only when it is public; the migrations never create it.
    replayed = replayApplied(url, journal.applied, shadow, standby, cacheRoot, `CREATE SCHEMA IF NOT EXISTS ${ident(tenant.template)};`);
    memo.set(key, replayed);
  }
  const r = await replayed;
  const { schemaAs } = await import('../tenant/model.js');
  const seen = r.embedded ? await throughEmbeddedShadow(live, cacheRoot) : live;
  return {
    target,
    journal,
    live: await schemaAs(seen, tenant.schema, tenant.schema),
    expected: await schemaAs(r.expected, tenant.template, tenant.schema),
    normalization: `${r.normalization} (the template schema ${JSON.stringify(tenant.template)}, named as the tenant's)`,
  };
};
