/**
 * `discard`: deletes the newest migration after checking every known database it can reach: the one named
 * (`databaseUrl`), DATABASE_URL, and each environment of keikaku.config.ts. One that ran any phase of it refuses;
 * one it cannot reach is reported as not checked.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { describeTarget } from '../db/url.js';
import { filesAfterDiscard, phasesRunOn } from '../history/discard.js';
import { readHistory } from '../load/migrations.js';
import { resolveTarget } from './target.js';

export type CheckedDatabase = { readonly database: string; readonly source: string } & (
  | { readonly state: 'unused' }
  | { readonly state: 'used'; readonly phases: readonly { readonly phase: string; readonly state: string }[] }
  | { readonly state: 'unreachable'; readonly error: string }
);

export interface Discarded {
  readonly migration: string;
  /** The folder of the newest migration (absolute). */
  readonly dir: string;
  /** False on a dry run and when a database has run it. */
  readonly discarded: boolean;
  readonly databases: readonly CheckedDatabase[];
}

/** Every database keikaku knows of here, once each (by host, port and database). */
const knownDatabases = (config: ResolvedConfig, databaseUrl: string | undefined): { url: string; source: string }[] => {
  const out: { url: string; source: string }[] = [];
  const add = (url: string | undefined, source: string) => {
    if (!url) return;
    try {
      if (!out.some((o) => describeTarget(o.url) === describeTarget(url))) out.push({ url, source });
    } catch {
      out.push({ url, source });
    }
  };
  add(databaseUrl, '--database-url');
  add(config.databaseUrl, 'DATABASE_URL');
  for (const name of Object.keys(config.environments)) {
    try {
      add(resolveTarget(config, { env: name }).url, `environment ${name}`);
    } catch {
      // an environment without a URL (and no DATABASE_URL) names no database
    }
  }
  return out;
};

const checkDatabase = async (id: string, d: { url: string; source: string }): Promise<CheckedDatabase> => {
  let label = d.source;
  try {
    label = describeTarget(d.url);
    const db = await connectPg(d.url);
    try {
      const phases = await phasesRunOn(db, id);
      return phases.length ? { database: label, source: d.source, state: 'used', phases } : { database: label, source: d.source, state: 'unused' };
    } finally {
      await db.close().catch(() => undefined);
    }
  } catch (e) {
    return { database: label, source: d.source, state: 'unreachable', error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
  }
};

export const discardNewest = async (config: ResolvedConfig, o: { readonly databaseUrl?: string | undefined; readonly dryRun?: boolean | undefined }): Promise<Discarded> => {
  const history = readHistory(config.generatedDir);
  const broken = history.problems.filter((p) => ['BAD_PLAN', 'TWO_HEADS', 'BROKEN_PARENT', 'SUM_CONFLICT'].includes(p.code));
  if (broken.length) throw new UserError(`the migration history is not a line; which migration is the newest is not clear:\n${broken.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`, 3);
  const newest = history.migrations.at(-1);
  if (!newest) throw new UserError(`no migration to discard in ${relative(config.root, config.generatedDir) || '.'}/migrations`);
  const databases = await Promise.all(knownDatabases(config, o.databaseUrl).map((d) => checkDatabase(newest.id, d)));
  const used = databases.some((c) => c.state === 'used');
  if (!used && !o.dryRun) {
    const files = await filesAfterDiscard(config.generatedDir, history.migrations.slice(0, -1), { shadowUrl: config.shadowUrl, cacheRoot: config.root });
    rmSync(newest.dir, { recursive: true, force: true });
    for (const [path, text] of files) {
      if (text === null) rmSync(path, { force: true });
      else writeFileSync(path, text);
    }
  }
  return { migration: newest.id, dir: newest.dir, discarded: !used && !o.dryRun, databases };
};
