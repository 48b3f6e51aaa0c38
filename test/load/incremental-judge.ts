/**
 * One corpus case through incremental normalization, judged by the database: the case's current and desired
 * SQL are each loaded into a scratch database on the server and pulled into a schema directory; both directories
 * are loaded (DSL → units of DDL) and normalized in full, and the desired one again incrementally from the
 * current one's result. The incremental result must equal the full one, or give up. Shared by the sampled test
 * (incremental-corpus.test.ts) and the full report (incremental-corpus-report.mjs).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { planIncremental, scriptUnits, unitHashes } from '../../src/load/incremental.js';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { normalize, normalizePart } from '../../src/load/shadow.js';
import type { Schema } from '../../src/model/schema.js';
import { pull } from '../../src/pull/index.js';
import type { CorpusCase } from '../support/corpus.js';
import { ensureRoles } from '../pull/corpus-judge.js';

export type IncrementalVerdict =
  /** The splice equals the full normalization; `created` of `tables` tables were created in the shadow. */
  | { readonly kind: 'spliced'; readonly created: number; readonly tables: number }
  /** The plan or the splice gave up (a full normalization decides); why. */
  | { readonly kind: 'gave-up'; readonly reason: string }
  /** Not a pair this judge can use (does not load, does not pull, does not normalize in full). */
  | { readonly kind: 'unusable'; readonly reason: string }
  | { readonly kind: 'differs'; readonly detail: string };

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** `sql` loaded on the server, pulled into `dir`, loaded back as a script. */
const pulledScript = async (serverUrl: string, c: CorpusCase, sql: string, dir: string) => {
  const scratch = await createScratchDatabase(serverUrl);
  try {
    await ensureRoles(scratch.db, c.roles);
    await scratch.db.exec(`${c.setup}\n${sql}`);
    await scratch.db.exec('RESET ROLE; RESET search_path');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await pull(scratch.db, { dir, schemas: null });
  } finally {
    await scratch.drop();
  }
  return loadSchemaDir(dir, { cwd: dir });
};

/** The first path where two values differ, for the report. */
const firstDifference = (a: unknown, b: unknown, path = ''): string | null => {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
};

export const judgeIncremental = async (serverUrl: string, c: CorpusCase, dir: string): Promise<IncrementalVerdict> => {
  const shadow = { shadowUrl: serverUrl };
  let current;
  let desired;
  try {
    current = await pulledScript(serverUrl, c, c.current, join(dir, 'current'));
    desired = await pulledScript(serverUrl, c, c.desired, join(dir, 'desired'));
  } catch (e) {
    return { kind: 'unusable', reason: `load or pull: ${firstLine(e)}` };
  }
  let fullCurrent: Schema;
  let fullDesired: Schema;
  try {
    fullCurrent = await normalize(current, shadow);
    fullDesired = await normalize(desired, shadow);
  } catch (e) {
    return { kind: 'unusable', reason: `full normalization: ${firstLine(e)}` };
  }
  const plan = planIncremental(desired.script, 'corpus', { context: 'corpus', units: unitHashes(scriptUnits(current.script)) }, { maxShare: 1 });
  if (!plan) return { kind: 'gave-up', reason: 'no plan (no unit changed)' };
  const spliced = await normalizePart(desired, plan, fullCurrent, shadow);
  if (!spliced) return { kind: 'gave-up', reason: 'shadow rejected the part, or names met' };
  const detail = firstDifference(spliced, fullDesired);
  return detail ? { kind: 'differs', detail } : { kind: 'spliced', created: plan.stats.tables, tables: plan.stats.tables + plan.kept.size };
};
