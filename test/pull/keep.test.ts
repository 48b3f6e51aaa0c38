/**
 * `pull` into schema files that already say what the database has leaves them byte for byte as they are, on both
 * backends: the example app's generated/ applied to a fresh database, then pulled into a copy of its schema/ that
 * carries what a person writes and pull would not (`renamedFrom`, `.backfill(…)`, comments, its own column order,
 * its own layout), with the record of a pull made before those migrations (the files were pulled, then evolved).
 * Every file keeps every byte, and the report says so. After one table changes by hand, only its declaration is
 * rewritten: its neighbours in the same file keep their bytes, and the files plan empty against the database.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import type { RunResult } from '../../src/apply/types.js';
import { diff } from '../../src/diff/index.js';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { normalize } from '../../src/load/shadow.js';
import { describeChange } from '../../src/model/describe.js';
import type { Schema } from '../../src/model/schema.js';
import { plan } from '../../src/plan/index.js';
import { pull, type PullResult } from '../../src/pull/index.js';
import { readExisting } from '../../src/pull/existing.js';
import { pullText } from '../../src/pull/report.js';
import { exampleGenerated, removeTempDirs, upRequest } from '../apply/support.js';
import { ensureBuilt } from '../load/built.js';
import { backends, type Backend } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { caseDir, tagDir } from './corpus-judge.js';

const all = await backends();
const TAG = `keep-${process.pid}`;

/** Every file under `dir`, dot-files included (the record of the last pull is compared apart). */
const files = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
};

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`apply did not finish: ${JSON.stringify(r).slice(0, 300)}`);
  return r;
};

/** What a person wrote into the example's offices.ts since: pull would write none of it this way. */
const personalize = (text: string): string => {
  const edited = text
    .replace(
      "    name: text().notNull(),\n    timezone: text().notNull().default('Asia/Tokyo'),\n",
      "    // Shown in every office's header; local time everywhere else.\n    timezone: text().notNull().default('Asia/Tokyo').backfill(sql`'Asia/Tokyo'`),\n    name:   text().notNull(),\n",
    )
    .replace("{ name: 'offices', comment: 'Welfare offices (tenants)' }", '{ name: "offices", comment: "Welfare offices (tenants)" }');
  expect(edited).not.toBe(text);
  expect(edited).toContain('.backfill(');
  return edited;
};

const report = (result: PullResult) => pullText({ target: 'db', out: 'schema', result, baseline: { kind: 'skipped' }, seconds: 0 });

beforeAll(() => ensureBuilt());
afterAll(() => {
  rmSync(tagDir(TAG), { recursive: true, force: true });
  removeTempDirs();
});

describe.each(all)('pull keeps declarations equal to the database ($title)', (backend: Backend) => {
  // The files, normalized where the database is: the server's scratch database, or the embedded shadow for PGlite.
  const normalized = async (dir: string): Promise<Schema> => normalize(await loadSchemaDir(dir, { cwd: dir }), { shadowUrl: backend.serverUrl });
  const pullInto = (db: Parameters<typeof pull>[0], dir: string) => pull(db, { dir, schemas: null, previous: () => normalized(dir) });

  it("the example app's schema/ after its own migrations: every byte kept; a table changed by hand: only its declaration", async () => {
    const fresh = await backend.freshDb({ extensions: ['pg_trgm'] });
    const { db } = fresh;
    try {
      const generated = exampleGenerated();
      const dir = join(caseDir(TAG, backend.name), 'schema');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });

      // The project began with a pull of the first migration's database; the files evolved from there.
      done(await runMigrations(db, upRequest(generated, { to: '20261120090000_initial_schema' })));
      await pull(db, { dir, schemas: null });
      for (const f of Object.keys(Object.fromEntries(files(dir)))) rmSync(join(dir, f));
      cpSync(join(projectRoot, 'schema'), dir, { recursive: true });
      writeFileSync(join(dir, 'offices.ts'), personalize(readFileSync(join(dir, 'offices.ts'), 'utf8')));
      const written = files(dir);
      expect(written.get('staffs.ts')).toContain(".renamedFrom('full_name')");

      done(await runMigrations(db, upRequest(generated)));
      const first = await pullInto(db, dir);
      expect(first.files.map((f) => [f.file, f.status])).toEqual([...written.keys()].sort().map((f) => [f, 'unchanged']));
      expect(files(dir)).toEqual(written);
      expect(report(first)).toContain(`  ${written.size} files unchanged\n`);
      expect(report(first)).toContain('no file changed');

      const second = await pullInto(db, dir);
      expect(second.files.every((f) => f.status === 'unchanged')).toBe(true);
      expect(files(dir)).toEqual(written);

      // One table of a file with four declarations changes in the database.
      await db.exec('ALTER TABLE plan_cycles ADD COLUMN note text');
      const changed = await pullInto(db, dir);
      expect(changed.files.filter((f) => f.status !== 'unchanged')).toEqual([
        { file: 'recipients.ts', status: 'updated', added: [], replaced: ['planCycles'], removed: [] },
      ]);
      const after = files(dir);
      for (const [f, text] of written) if (f !== 'recipients.ts') expect(after.get(f), f).toBe(text);
      const [before] = (await readExisting(dir)).filter((f) => f.file === 'recipients.ts');
      const old = written.get('recipients.ts')!;
      const now = after.get('recipients.ts')!;
      const at = (read: Awaited<ReturnType<typeof readExisting>>) => read.find((f) => f.file === 'recipients.ts')!.decls.find((d) => d.exportName === 'planCycles')!.initializer;
      // Where planCycles was, in the old text (the same parser over a copy of the old file).
      const oldDir = join(caseDir(TAG, `${backend.name}-old`), 'schema');
      mkdirSync(oldDir, { recursive: true });
      writeFileSync(join(oldDir, 'recipients.ts'), old);
      const o = at(await readExisting(oldDir));
      const n = at([before!]);
      expect(now.slice(0, n.start)).toBe(old.slice(0, o.start));
      expect(now.slice(n.end)).toBe(old.slice(o.end));
      expect(n.text).toContain('note: text(),');
      expect(n.text).not.toBe(o.text);

      const steps = plan(diff(changed.schema, await normalized(dir))).steps.map((s) => describeChange(s.change));
      expect(steps).toEqual([]);
      expect((await pullInto(db, dir)).files.every((f) => f.status === 'unchanged')).toBe(true);
    } finally {
      await fresh.release();
    }
  });
});
