/**
 * `pull` of PostgreSQL 18's column additions: a virtual generated column becomes `.generatedAlwaysAs(…, {
 * virtual: true })`, a NOT NULL constraint the user named `.notNull({ name })` (PostgreSQL's own names stay
 * `.notNull()`), and the pulled schema/ plans empty against the database. Where the backend is 18 (PGlite).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
CREATE TABLE public.measure (
  id int PRIMARY KEY,
  mm int,
  label text NOT NULL,
  cm numeric GENERATED ALWAYS AS (mm / 10.0) VIRTUAL,
  dm numeric GENERATED ALWAYS AS (mm / 100.0) STORED,
  CONSTRAINT measure_mm_required NOT NULL mm
);`;

const sources = (dir: string): string =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

beforeAll(() => ensureBuilt());

describe.each(all)('pull of PostgreSQL 18 columns ($title)', (backend) => {
  const dir = caseDir('pg18-columns', `${backend.name}-${process.pid}`);
  afterAll(() => rmSync(tagDir('pg18-columns'), { recursive: true, force: true }));

  it('virtual columns and named NOT NULLs come back as declarations that plan empty', async (ctx) => {
    const fresh = await backend.freshDb();
    try {
      const [row] = await fresh.db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      if (row!.v < 180000) ctx.skip();
      await fresh.db.exec(SQL);
      mkdirSync(dir, { recursive: true });
      const pulled = await pull(fresh.db, { dir, schemas: null });
      const code = sources(dir);
      expect(code).toContain('cm: numeric().generatedAlwaysAs(sql`(mm)::numeric / 10.0`, { virtual: true }),');
      expect(code).toContain('dm: numeric().generatedAlwaysAs(sql`(mm)::numeric / 100.0`),');
      expect(code).toContain(".notNull({ name: 'measure_mm_required' })");
      expect(code).not.toContain('measure_label_not_null');
      const desired = await normalize(await loadSchemaDir(join(dir), { cwd: dir }), { shadowUrl: backend.serverUrl });
      expect(plan(diff(pulled.schema, desired)).steps.map((s) => describeChange(s.change))).toEqual([]);
    } finally {
      await fresh.release();
    }
  });
});
