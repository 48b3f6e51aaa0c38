/**
 * The differ end to end on live databases, as tests use it: read both sides, diff with hints, plan, and the
 * up and down scripts. Scripts are applied the way users apply them: with psql on a server, `exec` on PGlite.
 */
import { spawnSync } from 'node:child_process';
import { diff, parseRenameHint, type RenameHint } from '../../src/diff/index.js';
import type { Db } from '../../src/db/types.js';
import { renderScript } from '../../src/emit/script.js';
import { readSchema } from '../../src/load/source.js';
import type { Schema } from '../../src/model/schema.js';
import type { Step } from '../../src/model/plan.js';
import { plan } from '../../src/plan/index.js';

export const hints = (texts: readonly string[]): RenameHint[] =>
  texts.map((t) => {
    const h = parseRenameHint(t);
    if (typeof h === 'string') throw new Error(h);
    return h;
  });

export interface Migration {
  readonly steps: readonly Step[];
  readonly up: string;
  readonly down: string;
}

export const migration = (current: Schema, desired: Schema, renames: readonly string[] = []): Migration => {
  const { steps } = plan(diff(current, desired, hints(renames)));
  return { steps, up: renderScript(steps, 'up'), down: renderScript(steps, 'down') };
};

export const migrationBetween = async (current: Db, desired: Db | Schema, renames: readonly string[] = []) =>
  migration(await readSchema(current), 'query' in desired ? await readSchema(desired) : desired, renames);

/** Runs a script like a user would: `psql -v ON_ERROR_STOP=1 -f -` against a server URL, else `db.exec`. */
export const applyScript = async (db: Db, script: string, url?: string): Promise<void> => {
  if (!script.trim()) return;
  if (url) {
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], {
      input: script,
      encoding: 'utf8',
      env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error?.message}\n--- script ---\n${script}`);
    return;
  }
  try {
    await db.exec(script);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- script ---\n${script}`);
  }
};
