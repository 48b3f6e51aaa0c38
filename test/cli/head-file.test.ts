/**
 * generated/head.json on the example app, as a fresh clone meets it (no node_modules/.cache): `generate` takes the
 * committed head instead of replaying the history and normalizes schema/ incrementally from it, and writes the
 * same files, byte for byte, as the full path (no cache, no head: history replayed, schema/ fully normalized, both
 * on the embedded PostgreSQL). A head written for another history is not used; `check` and `verify` replay the
 * history and fail (exit 2) on a stale head and on one edited by hand.
 */
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHeadFile } from '../../src/emit/head-file.js';
import { committedHead, HEAD_FILE, type HeadFile } from '../../src/load/head-file.js';
import { readHistory } from '../../src/load/migrations.js';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { emptyDir, removeProjects } from './tmp-project.js';

const NOW = '2026-12-01T00:00:00Z';

/** The example app's schema/ and generated/ in a new directory: a fresh clone, no cache. */
const exampleApp = (edit?: (offices: string) => string): string => {
  const dir = emptyDir();
  for (const d of ['schema', 'generated']) cpSync(join(projectRoot, d), join(dir, d), { recursive: true });
  if (edit) writeFileSync(join(dir, 'schema/offices.ts'), edit(readFileSync(join(dir, 'schema/offices.ts'), 'utf8')));
  return dir;
};

/** A copy of `dir` without its cache (a clone of what it committed), schema/ edited by `edit`. */
const cloneOf = (dir: string, edit?: (offices: string) => string): string => {
  const next = emptyDir();
  for (const d of ['schema', 'generated']) cpSync(join(dir, d), join(next, d), { recursive: true });
  if (edit) writeFileSync(join(next, 'schema/offices.ts'), edit(readFileSync(join(next, 'schema/offices.ts'), 'utf8')));
  return next;
};

const addColumn = (name: string) => (offices: string) => {
  const at = "    timezone: text().notNull().default('Asia/Tokyo'),\n";
  if (!offices.includes(at)) throw new Error('schema/offices.ts of the example app changed: adjust this test');
  return offices.replace(at, `${at}    ${name}: text(),\n`);
};

/** Every file under `dir` (relative path → text). */
const filesUnder = (dir: string, out = new Map<string, string>(), base = dir): Map<string, string> => {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) filesUnder(p, out, base);
    else out.set(relative(base, p), readFileSync(p, 'utf8'));
  }
  return out;
};

const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
};

/** `generate NAME` in `dir` with KEIKAKU_DEBUG (how the history and schema/ were read is on stderr). */
const generate = (dir: string, name: string, env: Record<string, string> = {}) =>
  withEnv({ KEIKAKU_NOW: NOW, KEIKAKU_DEBUG: '1', ...env }, () => runCliIn(dir, 'generate', name));

/** The full path: no cache, so no committed head either. */
const generateFull = (dir: string, name: string) => generate(dir, name, { KEIKAKU_NO_CACHE: '1' });

const readHead = (dir: string): HeadFile => JSON.parse(readFileSync(join(dir, 'generated', HEAD_FILE), 'utf8')) as HeadFile;

describe('generated/head.json', () => {
  beforeAll(ensureBuilt, 600_000);
  afterAll(removeProjects);

  it('the example app commits the head generate writes, and a fresh clone reads both sides from it', async () => {
    const committed = join(projectRoot, 'generated');
    expect(committedHead(committed, readHistory(committed).migrations).kind).toBe('current');
    const dir = exampleApp();
    const r = await generate(dir, 'nothing');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing written.');
    expect(r.stderr).toContain('generated/head.json: used as the history schema');
    expect(r.stderr).toContain('normalized schema/: read from generated/head.json');
    expect(readFileSync(join(dir, 'generated', HEAD_FILE), 'utf8')).toBe(readFileSync(join(committed, HEAD_FILE), 'utf8'));
  }, 300_000);

  it('a fresh clone generates from the committed head, byte for byte, what the full path generates', async () => {
    const fast = exampleApp(addColumn('note'));
    const full = exampleApp(addColumn('note'));
    const f = await generate(fast, 'add_note');
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toContain('generated/head.json: used as the history schema');
    expect(f.stderr).toMatch(/normalized schema\/: incremental from generated\/head\.json \(1 changed/);
    expect(f.stdout).toContain('add column public.offices.note');
    expect((await generateFull(full, 'add_note')).code).toBe(0);
    expect(filesUnder(join(fast, 'generated'))).toEqual(filesUnder(join(full, 'generated')));
    // The head written for the new history is the one a replay makes: check and verify agree.
    const clone = cloneOf(fast);
    const check = await runCliIn(clone, 'check');
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).not.toContain('head-file');
  }, 600_000);

  it('a head whose schema is damaged behind an intact header: generate replays the history, same files as the full path', async () => {
    const damaged = exampleApp(addColumn('note'));
    const full = exampleApp(addColumn('note'));
    const path = join(damaged, 'generated', HEAD_FILE);
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf('\n"tables": [');
    expect(at).toBeGreaterThan(0);
    // A conflict marker inside the schema only (git merged the header lines cleanly).
    writeFileSync(path, `${text.slice(0, at)}\n=======${text.slice(at)}`);
    const d = await generate(damaged, 'add_note');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr).toContain('generated/head.json: its schema is not JSON');
    expect(d.stderr).toContain('the history is replayed');
    expect(d.stdout).toContain('add column public.offices.note');
    expect((await generateFull(full, 'add_note')).code).toBe(0);
    expect(filesUnder(join(damaged, 'generated'))).toEqual(filesUnder(join(full, 'generated')));
  }, 600_000);

  it('a stale head (another history) is not used, and check and verify fail on it with exit 2', async () => {
    const grown = exampleApp(addColumn('note'));
    expect((await generateFull(grown, 'add_note')).code).toBe(0);
    // A merge that kept the old head.json: it records the 6 migrations before add_note.
    cpSync(join(projectRoot, 'generated', HEAD_FILE), join(grown, 'generated', HEAD_FILE));
    const stale = cloneOf(grown, addColumn('code'));
    const full = cloneOf(grown, addColumn('code'));
    const s = await generate(stale, 'add_code');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('generated/head.json: written for another history');
    expect((await generateFull(full, 'add_code')).code).toBe(0);
    expect(filesUnder(join(stale, 'generated'))).toEqual(filesUnder(join(full, 'generated')));

    const check = await runCliIn(cloneOf(grown), 'check');
    expect(check.code, check.stdout).toBe(2);
    expect(check.stdout).toMatch(/error head-file: head\.json records another migration history \(6 migration\(s\)/);
    expect(check.stdout).toContain('run `keikaku generate`');
    const verify = await runCliIn(cloneOf(grown), 'verify');
    expect(verify.code, verify.stdout).toBe(2);
    expect(verify.stdout).toContain('generated/head.json does not record the schema it makes');
  }, 900_000);

  it('a head edited by hand (same history checksum): check and verify replay the history and fail with exit 2', async () => {
    const dir = exampleApp();
    const head = readHead(dir);
    const tables = head.schema.tables.map((t) =>
      t.name === 'offices' ? { ...t, columns: t.columns.map((c) => (c.name === 'timezone' ? { ...c, type: 'character varying(10)' } : c)) } : t,
    );
    expect(tables).not.toEqual(head.schema.tables);
    writeFileSync(join(dir, 'generated', HEAD_FILE), renderHeadFile({ ...head, schema: { ...head.schema, tables } }));
    expect(committedHead(join(dir, 'generated'), readHistory(join(dir, 'generated')).migrations).kind).toBe('current');

    const check = await runCliIn(cloneOf(dir), 'check');
    expect(check.code, check.stdout).toBe(2);
    expect(check.stdout).toMatch(/error head-file: head\.json differs from the replayed history: column public\.offices\.timezone/);
    const verify = await runCliIn(cloneOf(dir), 'verify');
    expect(verify.code, verify.stdout).toBe(2);
    expect(verify.stdout).toContain('column public.offices.timezone');
    // What generate does with it (documented): it trusts the file. Unchanged schema/ reads as unchanged; an edit of
    // offices is planned from the edited head, so the migration also changes timezone, which no one asked for.
    expect((await generate(cloneOf(dir), 'nothing')).stdout).toContain('No changes');
    const g = await generate(cloneOf(dir, addColumn('note')), 'add_note');
    expect(g.stdout).toContain('add column public.offices.note');
    expect(g.stdout).toContain('public.offices.timezone');
  }, 900_000);
});
