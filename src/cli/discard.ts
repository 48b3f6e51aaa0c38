/**
 * `keikaku discard`: deletes the newest migration after checking every known database it can reach: the one named
 * (`--database-url`), DATABASE_URL, and each environment of keikaku.config.ts. One that ran any phase of it refuses
 * (exit 3); one it cannot reach is reported as not checked.
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { describeTarget } from '../db/url.js';
import { filesAfterDiscard, phasesRunOn } from '../history/discard.js';
import { readHistory } from '../load/migrations.js';
import { terminalText as t } from '../model/escape.js';
import { resolveTarget } from './apply.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';

export interface DiscardArgs {
  readonly databaseUrl?: string | undefined;
  readonly dryRun: boolean;
  readonly format: 'text' | 'json';
}

type Checked = { readonly database: string; readonly source: string } & (
  | { readonly state: 'unused' }
  | { readonly state: 'used'; readonly phases: readonly { readonly phase: string; readonly state: string }[] }
  | { readonly state: 'unreachable'; readonly error: string }
);

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

const check = async (id: string, d: { url: string; source: string }): Promise<Checked> => {
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

export const runDiscard = async (config: ResolvedConfig, a: DiscardArgs): Promise<CommandOutput> => {
  const history = readHistory(config.generatedDir);
  const broken = history.problems.filter((p) => ['BAD_PLAN', 'TWO_HEADS', 'BROKEN_PARENT', 'SUM_CONFLICT'].includes(p.code));
  if (broken.length) throw new UserError(`the migration history is not a line; which migration is the newest is not clear:\n${broken.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`, 3);
  const newest = history.migrations.at(-1);
  if (!newest) throw new UserError(`no migration to discard in ${shownPath(config.generatedDir)}/migrations`);
  const checked = await Promise.all(knownDatabases(config, a.databaseUrl).map((d) => check(newest.id, d)));
  const used = checked.filter((c): c is Extract<Checked, { state: 'used' }> => c.state === 'used');
  const unreachable = checked.filter((c): c is Extract<Checked, { state: 'unreachable' }> => c.state === 'unreachable');
  if (a.format === 'json' && used.length) return { stdout: `${JSON.stringify({ migration: newest.id, discarded: false, databases: checked }, null, 2)}\n`, exitCode: 3 };
  if (used.length)
    throw new UserError(
      `refusing to discard ${newest.id}: a database has run it:\n${used.map((u) => `  ${u.database} (${u.source}): ${u.phases.map((p) => `${p.phase} ${p.state}`).join(', ')}`).join('\n')}\n` +
        'Write a new migration that changes it back instead, or undo it there first (keikaku down), then discard.',
      3,
    );
  if (!a.dryRun) {
    const files = await filesAfterDiscard(config.generatedDir, history.migrations.slice(0, -1), { shadowUrl: config.shadowUrl, cacheRoot: config.root });
    rmSync(newest.dir, { recursive: true, force: true });
    for (const [path, text] of files) writeFileSync(path, text);
  }
  if (a.format === 'json') return { stdout: `${JSON.stringify({ migration: newest.id, discarded: !a.dryRun, databases: checked }, null, 2)}\n`, exitCode: 0 };
  const lines = [
    `${a.dryRun ? 'Would discard' : 'Discarded'} ${newest.id}${a.dryRun ? '' : ` (${shownPath(newest.dir)}/ deleted; migrations.sum and schema.sql rewritten)`}`,
    checked.length === 0
      ? 'No database is known here (--database-url, DATABASE_URL, environments): none was checked.'
      : `Checked ${checked.length - unreachable.length} of ${checked.length} known database${checked.length === 1 ? '' : 's'}: none has run it.`,
    ...unreachable.map((u) => `  not reachable, not checked: ${u.database} (${u.source}): ${t(u.error)}`),
  ];
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
