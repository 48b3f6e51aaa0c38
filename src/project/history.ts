/**
 * The history commands that write files or a journal by hand: `generate --empty` (a migration folder a person
 * fills), `rehash` (migrations.sum re-signed after a deliberate edit) and `resolve` (what was done by hand,
 * recorded in a database's journal). The decisions are in src/history/ and src/emit/; here the files are written
 * and the database reached, nothing printed.
 */
import { refuseOnStandby } from '../apply/standby.js';
import { writeFileSync } from 'node:fs';
import { localIdentity } from '../apply/journal.js';
import type { LockHolder } from '../apply/lock.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { renderHandWritten } from '../emit/hand-written.js';
import { nextMigrationId } from '../emit/migration-id.js';
import { writeMigration } from '../emit/write.js';
import { writeHeadFile } from '../emit/head-file.js';
import { rehash as rehashHistory, type SignedFile } from '../history/rehash.js';
import { resolveMigration, type ResolveAs, type ResolveResult } from '../history/resolve.js';
import { committedHead } from '../load/head-file.js';
import { readHistory } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { assertHistory } from './diff.js';
import { recordProductionMark, guardProduction, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface EmptyMigration {
  readonly id: string;
  /** The folder written (absolute). */
  readonly dir: string;
  /** The files written in it. */
  readonly files: readonly string[];
}

/** `generate --empty NAME`: the next migration folder with phase files to fill by hand, signed in migrations.sum. */
export const writeEmptyMigration = (config: ResolvedConfig, o: { readonly name: string; readonly now: Date }): EmptyMigration => {
  const history = readHistory(config.generatedDir);
  assertHistory(history);
  const parent = history.migrations.at(-1)?.id ?? null;
  const id = nextMigrationId(parent, o.now, o.name);
  const files = renderHandWritten({ id, parent });
  // What a person writes decides the schema at head: schema.sql stays as the last generated migration left it.
  const m = writeMigration({ generatedDir: config.generatedDir, id, files, before: history.migrations });
  return { id, dir: m.dir, files: [...files.keys()] };
};

export type Rehashed =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'signed'; readonly signed: readonly SignedFile[]; readonly marked: readonly string[] };

/** `rehash`: migrations.sum rewritten from the files; edited generated phase files recorded in their plan.json. */
export const rehashProject = (config: ResolvedConfig): Rehashed => {
  const r = rehashHistory(config.generatedDir);
  if (r.kind === 'refused')
    throw new UserError(`cannot re-sign: re-signing does not mend this:\n${r.problems.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`, 3);
  for (const [path, text] of r.writes) writeFileSync(path, text);
  // An edited up file changes what the history makes: head.json no longer says, and the next generate writes it.
  if (committedHead(config.generatedDir, readHistory(config.generatedDir).migrations).kind === 'other-history') writeHeadFile(config.generatedDir, null);
  return r.writes.size === 0 ? { kind: 'unchanged' } : { kind: 'signed', signed: r.signed, marked: r.marked };
};

export interface ResolveOptions extends TargetArgs {
  /** A migration id, or a unique beginning of one. */
  readonly migration: string;
  readonly as: ResolveAs;
  readonly phase?: PhaseName | undefined;
  /** Recording on a production database is allowed without `confirm`. */
  readonly yes?: boolean | undefined;
  /** Asked before recording on a production database (throw to stop); without it and without `yes`: exit 3. */
  readonly confirm?: ((target: Target) => Promise<void>) | undefined;
  readonly onWait?: ((holder: LockHolder | undefined) => void) | undefined;
}

export interface ResolveMatch {
  readonly id?: string | undefined;
  /** Ids the text begins (more than one: ambiguous). */
  readonly matches: readonly string[];
  readonly ids: readonly string[];
}

/**
 * The migration `text` names: the id itself, else the one id it begins. To be recorded rolled back, also an id the
 * directory no longer has (one `generate --rebase` re-planned under a new id): the journal knows it.
 */
export const matchMigration = (config: ResolvedConfig, text: string, as?: ResolveAs): ResolveMatch => {
  const ids = readHistory(config.generatedDir).migrations.map((m) => m.id);
  const matches = ids.filter((id) => id === text || id.startsWith(text));
  const id = ids.includes(text) ? text : matches.length === 1 ? matches[0] : as === 'rolled-back' && /^\d{14}_/.test(text) ? text : undefined;
  return { id, matches, ids };
};

/** `resolve`: records phases of one migration as applied or rolled back by hand; nothing else is run. */
export const resolveProject = async (
  config: ResolvedConfig,
  o: ResolveOptions & { readonly id: string },
): Promise<{ readonly target: Target; readonly result: ResolveResult }> => {
  const history = readHistory(config.generatedDir);
  const given = resolveTarget(config, o);
  const db = await connectPg(given.url);
  try {
    const target = await withDatabaseMark(given, db);
    await refuseOnStandby(db, target.label, `record ${o.id} as ${o.as} in the journal of`);
    await guardProduction(target, o, `refusing to record ${o.id} as ${o.as} in the journal of production database ${target.label}`);
    await recordProductionMark(target, db);
    const result = await resolveMigration(db, { history, migration: o.id, as: o.as, phase: o.phase, by: localIdentity(), onWait: o.onWait });
    return { target, result };
  } finally {
    await db.close().catch(() => undefined);
  }
};
