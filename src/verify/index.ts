/**
 * `verify`: every migration replayed in an empty shadow, up → down → up, each state judged by the catalog (the
 * introspector and the differ, never SQL text): up reaches a state (at the head, the one `generated/schema.sql`
 * records), down brings back the state before it, and up again reaches the same state once more. Reports the first
 * migration that does not round-trip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedFields, describeFields, driftKind, objectOf } from '../check/findings.js';
import { UserError } from '../db/errors.js';
import { loadSql } from '../db/load-sql.js';
import type { Db } from '../db/types.js';
import { diff } from '../diff/index.js';
import { cachedSchema } from '../load/cache.js';
import { committedHead, HEAD_FILE, type HeadState } from '../load/head-file.js';
import { withShadow } from '../load/history-schema.js';
import { downFiles, readHistory, upFiles, type HistoryProblem, type Migration } from '../load/migrations.js';
import { readSchema } from '../load/source.js';
import type { Schema } from '../model/schema.js';
import { plan } from '../plan/index.js';

/** The moment a round trip broke. */
export type VerifyStage =
  /** Running the up files failed. */
  | 'up'
  /** After the last migration's up, the schema is not the one generated/schema.sql records. */
  | 'head'
  /** generated/head.json records another history, or another schema than the replay made (`load/head-file.ts`). */
  | 'head-file'
  /** Running the down files failed, or they did not bring back the state before the migration. */
  | 'down'
  /** Up after down failed, or did not reach the state the first up reached. */
  | 'up-again';

export interface VerifyFailure {
  readonly migration: string;
  readonly stage: VerifyStage;
  /** Postgres's error (`file:line: ERROR: …`) when a file failed to run. */
  readonly error?: string;
  /** What differs, as `column public.offices.timezone is left over`, one per object. */
  readonly differences: readonly string[];
  /** Steps the migration's plan marks IRREVERSIBLE (their down cannot restore them). */
  readonly irreversible: readonly string[];
}

export interface VerifyReport {
  readonly shadow: string;
  readonly migrations: readonly string[];
  /** Migrations that round-tripped, in order (all of them when `failure` is null). */
  readonly verified: readonly string[];
  /** Whether the head was compared with generated/schema.sql (absent file: not compared). */
  readonly headCompared: boolean;
  /**
   * Whether it was compared with generated/head.json (not when absent, written by another keikaku or PGlite, or
   * replayed on a server: the file records the embedded shadow's head).
   */
  readonly headFileCompared?: boolean;
  readonly failure: VerifyFailure | null;
  /** The history is not intact or not linear: nothing was replayed. */
  readonly problems: readonly HistoryProblem[];
  /** 0 every migration round-trips; 2 one does not; 3 the history is refused. */
  readonly exitCode: 0 | 2 | 3;
}

export interface VerifyOptions {
  /** A server to replay on (scratch databases, always dropped) instead of the embedded PGlite. */
  readonly shadowUrl?: string | undefined;
  /** The project root, to cache the schema generated/schema.sql records (embedded shadow only; `load/cache.ts`). */
  readonly cacheRoot?: string | undefined;
}

/** A step from the state reached to the one expected: creating means missing, dropping means left over. */
const STATE_TEXT = { removed: 'is missing', added: 'is left over', changed: 'differs' } as const;

/**
 * What differs between the state reached and the one expected, one line per object. The differ's steps turn
 * `actual` into `expected`: a step that creates an object means it is missing, one that drops it means it is left over.
 */
export const differences = (actual: Schema, expected: Schema): string[] =>
  plan(diff(actual, expected)).steps.map((s) => {
    const kind = driftKind(s.change);
    const fields = kind === 'changed' ? describeFields(changedFields(s.change), 'expected') : '';
    return `${objectOf(s.change)} ${STATE_TEXT[kind]}${fields ? `: ${fields}` : ''}`;
  });

const run = async (db: Db, m: Migration, files: readonly string[]): Promise<string | undefined> => {
  try {
    for (const f of files) await loadSql(db, m.files.get(f)!, join(m.dir, f));
    return undefined;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
};

const irreversibleSteps = (m: Migration): string[] =>
  m.plan.phases.flatMap((p) => p.steps.filter((s) => s.hazards.some((h) => h.code === 'IRREVERSIBLE')).map((s) => s.object));

/** The schema generated/schema.sql records, read back from its own shadow. */
const recordedHead = async (generatedDir: string, options: VerifyOptions): Promise<Schema | null> => {
  const path = join(generatedDir, 'schema.sql');
  if (!existsSync(path)) return null;
  const sql = readFileSync(path, 'utf8');
  const read = () =>
    withShadow(sql, options, async (db) => {
      await db.exec('SET check_function_bodies = off');
      await loadSql(db, sql, path);
      return readSchema(db);
    });
  // Only the embedded shadow's version is known before connecting: a server's result is not cached.
  return options.shadowUrl ? read() : cachedSchema(options.cacheRoot ?? null, ['recorded-schema-sql', 'pglite', sql], read);
};

/** What generated/head.json gets wrong about the replayed head `after`. */
const headFileDifferences = (file: HeadState, after: Schema): string[] => {
  switch (file.kind) {
    case 'unreadable':
      return [`${HEAD_FILE} cannot be read: ${file.reason}`];
    case 'other-history':
      return [`${HEAD_FILE} records another history (${file.head.history.migrations} migration(s), head ${file.head.history.head ?? '(none)'})`];
    case 'current':
      return differences(after, file.head.schema);
    default:
      return [];
  }
};

/** Round-trips one migration from `before`; a failure, or the state after its up. */
const roundTrip = async (db: Db, m: Migration, before: Schema, head: Schema | null): Promise<VerifyFailure | Schema> => {
  const fail = (stage: VerifyStage, found: { error?: string; differences?: string[] }): VerifyFailure => ({
    migration: m.id,
    stage,
    ...(found.error ? { error: found.error } : {}),
    differences: found.differences ?? [],
    irreversible: irreversibleSteps(m),
  });
  const up = upFiles(m);
  let error = await run(db, m, up);
  if (error) return fail('up', { error });
  const after = await readSchema(db);
  if (head) {
    const d = differences(after, head);
    if (d.length) return fail('head', { differences: d });
  }
  error = await run(db, m, downFiles(m));
  if (error) return fail('down', { error });
  let d = differences(await readSchema(db), before);
  if (d.length) return fail('down', { differences: d });
  error = await run(db, m, up);
  if (error) return fail('up-again', { error });
  d = differences(await readSchema(db), after);
  if (d.length) return fail('up-again', { differences: d });
  return after;
};

export const verify = async (generatedDir: string, options: VerifyOptions = {}): Promise<VerifyReport> => {
  const history = readHistory(generatedDir);
  const ids = history.migrations.map((m) => m.id);
  const shadow = options.shadowUrl ? 'scratch databases on the --shadow-url server' : 'the embedded shadow (PGlite)';
  if (history.problems.length)
    return { shadow, migrations: ids, verified: [], headCompared: false, failure: null, problems: history.problems, exitCode: 3 };
  const head = await recordedHead(generatedDir, options);
  const allSql = history.migrations.flatMap((m) => upFiles(m).map((f) => m.files.get(f)!)).join('\n');
  return withShadow(allSql, options, async (db) => {
    const verified: string[] = [];
    let before = await readSchema(db);
    for (const [i, m] of history.migrations.entries()) {
      const r = await roundTrip(db, m, before, i === ids.length - 1 ? head : null);
      if ('stage' in r)
        return { shadow, migrations: ids, verified, headCompared: head !== null, failure: r, problems: [], exitCode: 2 as const };
      verified.push(m.id);
      before = r;
    }
    const last = ids.at(-1);
    const file = committedHead(generatedDir, history.migrations);
    // head.json records the embedded shadow's head: a replay on a server is not compared with it.
    const headFileCompared = last !== undefined && !options.shadowUrl && file.kind !== 'absent' && file.kind !== 'other-build';
    const found = !headFileCompared ? [] : headFileDifferences(file, before);
    if (found.length) {
      const failure: VerifyFailure = { migration: last!, stage: 'head-file', differences: found, irreversible: [] };
      return { shadow, migrations: ids, verified: verified.slice(0, -1), headCompared: head !== null, headFileCompared, failure, problems: [], exitCode: 2 as const };
    }
    return { shadow, migrations: ids, verified, headCompared: head !== null, headFileCompared, failure: null, problems: [], exitCode: 0 as const };
  });
};
