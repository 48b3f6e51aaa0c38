/**
 * The programmatic API (`src/api.ts`) driven directly, on each backend: the example app's schema/ with no history
 * yet → `generate` writes the first migration (the shadow: the embedded PGlite, or the server) → `apply` runs it on
 * a new database of that backend → the database's catalog is the one the declared DDL makes when run directly, and
 * `check` finds nothing. On the server also by URL: `check` with the database, `status`, and `plan` against it is empty.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, check, generate, plan, status, UserError } from '../../src/api.js';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { ensureBuilt } from '../load/built.js';
import { exampleProject, removeProjects } from '../check/project.js';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot } from '../support/snapshot.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

const all = await backends();

describe.each(all)('the API on $title', (backend) => {
  it('generate → apply → the declared catalog, and check finds nothing', async () => {
    const base = await exampleProject((root) => rmSync(join(root, 'generated'), { recursive: true }));
    const config = backend.serverUrl ? { ...base, shadowUrl: backend.serverUrl } : base;
    const now = new Date('2026-12-01T10:00:00Z');

    const planned = await plan({ config });
    expect(planned.fromDb).toBe(false);
    expect(planned.history.migrations).toHaveLength(0);
    expect(planned.generatable).toBe(true);
    expect(planned.steps.length).toBeGreaterThan(10);

    const written = await generate({ config, name: 'first', now });
    if (written.kind !== 'written') throw new Error(`expected a migration, got ${written.kind}`);
    expect(written.id).toBe('20261201100000_first');
    expect(written.dir).toBe(join(config.generatedDir, 'migrations', written.id));
    expect(await generate({ config, name: 'again', now })).toEqual({ kind: 'unchanged' });

    const report = await check({ config, lint: false });
    expect(report_ok(report)).toEqual({ exitCode: 0, findings: [], schema: 'ok' });

    const declared = (await loadSchemaDir(config.schemaDir, { cwd: config.root })).script.map((s) => s.sql).join('\n');
    const expected = await withFreshDb(backend, async (db) => {
      await db.exec(declared);
      return snapshot(db);
    });

    await withFreshDb(backend, async (db, fresh) => {
      const target = fresh.url ? { databaseUrl: fresh.url } : { db };
      const run = await apply({ config, ...target });
      if (run.kind !== 'ran') throw new Error(`expected a run, got ${run.kind}`);
      expect(run.result.outcome).toBe('done');
      expect(run.phases.map((p) => p.migration)).toEqual([written.id]);
      expect(await snapshot(db)).toEqual(expected);

      const again = await apply({ config, ...target });
      expect(again.kind === 'ran' && again.phases).toEqual([]);
      const st = await status({ config, ...target });
      expect(st.report.migrations.flatMap((m) => m.phases.map((p) => p.state))).toEqual(['applied']);

      if (fresh.url) {
        const live = await check({ config, databaseUrl: fresh.url, lint: false });
        expect(report_ok(live)).toEqual({ exitCode: 0, findings: [], schema: 'ok' });
        expect(live.sections.database).toBe('ok');
        const fromDb = await plan({ config, fromDb: fresh.url });
        expect([fromDb.fromDb, fromDb.steps]).toEqual([true, []]);
      }
    });
  }, 600_000);
});

/** What a passing check reports. */
const report_ok = (r: Awaited<ReturnType<typeof check>>) => ({ exitCode: r.exitCode, findings: r.findings, schema: r.sections.schema });

describe('the API refuses with the exit code the CLI would give', () => {
  it('an unknown --env names the known environments (exit 1), a production database is refused without yes (exit 3)', async () => {
    const base = await exampleProject();
    const config = { ...base, environments: { staging: { url: 'postgres://u@localhost/staging' }, prod: { url: 'postgres://u@db.example/app', production: true } } };
    const unknown = await plan({ config, env: 'qa' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UserError);
    expect((unknown as UserError).message).toBe(`--env qa: no such environment in ${config.configFile ?? 'keikaku.config.ts (absent)'}; known: staging, prod`);
    expect((unknown as UserError).exitCode).toBe(1);

    const server = all.find((b) => b.serverUrl);
    if (!server) return;
    await withFreshDb(server, async (_db, fresh) => {
      const refused = await apply({ config, databaseUrl: fresh.url, production: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as UserError).exitCode).toBe(3);
      expect((refused as UserError).message).toMatch(/^refusing to apply migrations to production database .* without yes$/);
    });
  });
});
