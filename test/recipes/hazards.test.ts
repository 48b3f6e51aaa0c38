/**
 * Hazards (DESIGN §8): with a live database every hazard names its table's rows and size; `generate` refuses a
 * hazard that neither the defaults, the config's allowHazards nor --allow-hazards allow (exit 3, naming the
 * phase, step and hazard, writing nothing). Runs on the server (`--from-db` is a URL).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import { runPlan } from '../../src/cli/plan.js';
import type { DesiredLoader } from '../../src/project/desired.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import { readSchema } from '../../src/load/source.js';
import type { HazardCode } from '../../src/model/hazard.js';
import { refusedHazards } from '../../src/plan/gate.js';
import { backends, withFreshDb, type Backend } from '../support/backends.js';
import { tempProjectConfig } from '../support/project-config.js';

const server = (await backends()).filter((b) => b.name === 'server');

const project = (allowHazards: HazardCode[] = []): ResolvedConfig => tempProjectConfig('kk-hz-', { allowHazards });

/** The desired schema from SQL, read on the same server as the live database (same major version). */
const fromSql = (backend: Backend, sql: string): DesiredLoader => async () => {
  const fresh = await backend.freshDb();
  try {
    await fresh.db.exec(sql);
    return { schema: await readSchema(fresh.db), hints: [] };
  } finally {
    await fresh.release();
  }
};

const LIVE = `
CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL, memo text);
CREATE INDEX orders_amount ON orders (amount);
INSERT INTO orders SELECT g, g % 1000, 'm' || g FROM generate_series(1, 20000) g;
ANALYZE orders;
`;
const DESIRED = `
CREATE TABLE orders (id bigint PRIMARY KEY, amount bigint NOT NULL CHECK (amount >= 0), memo text);
CREATE INDEX orders_amount ON orders (amount);
CREATE INDEX orders_memo ON orders (memo);
`;

const args = (fromDb: string, allowHazards: string[] = []) => ({
  name: 'widen amount',
  fromDb,
  renames: [],
  noRename: [],
  allowHazards,
  format: 'text' as const,
  now: new Date('2026-11-27T00:00:00Z'),
});

describe.skipIf(server.length === 0).each(server)('hazards on $title', (backend) => {
  // amount has an index, so its type change is the one-step ALTER TYPE (a rewrite), not the online recipe.
  it('refuses a table rewrite (exit 3, naming step, hazard and size) until allowed; the online steps pass by default', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(LIVE);
      const config = project();
      const refused = await runGenerate(config, fromSql(backend, DESIRED), args(fresh.url!)).then(
        () => null,
        (e: { exitCode: number; message: string }) => e,
      );
      expect(refused?.exitCode).toBe(3);
      expect(refused?.message).toContain('expand: alter column public.orders.amount: TABLE_REWRITE');
      expect(refused?.message).toContain('--allow-hazards TABLE_REWRITE');
      expect(refused?.message).toContain('refused: 1 hazard(s) not allowed');
      expect(existsSync(config.generatedDir) && readdirSync(config.generatedDir).length).toBeFalsy();

      const preview = await runPlan(config, fromSql(backend, DESIRED), { fromDb: fresh.url!, renames: [], noRename: [], format: 'text', exitCode: false, color: false });
      expect(preview.stdout).toContain('public.orders: ~20,000 rows');
      expect(preview.stdout).toContain('refuses this plan');

      const ok = await runGenerate(config, fromSql(backend, DESIRED), args(fresh.url!, ['TABLE_REWRITE']));
      expect(ok.exitCode).toBe(0);
      const [id] = readdirSync(join(config.generatedDir, 'migrations'));
      const md = readFileSync(join(config.generatedDir, 'migrations', id!, 'plan.md'), 'utf8');
      expect(md).toMatch(/\*\*TABLE_REWRITE\*\* — alter column public\.orders\.amount: .*\(public\.orders: ~20,000 rows, \d+(\.\d)? (kB|MB)\)/);
      expect(md).toContain('CREATE INDEX CONCURRENTLY');
      const plan = JSON.parse(readFileSync(join(config.generatedDir, 'migrations', id!, 'plan.json'), 'utf8'));
      const sizes = plan.phases.flatMap((p: { steps: { hazards: { size?: { rows: number; bytes: number } }[] }[] }) => p.steps.flatMap((s) => s.hazards.map((h) => h.size)));
      expect(sizes.length).toBeGreaterThan(0);
      for (const s of sizes) expect(s).toMatchObject({ table: 'public.orders', rows: 20000, bytes: expect.any(Number) });

      // The config's allowHazards counts as well; an unknown code is a usage error.
      const viaConfig = project(['TABLE_REWRITE']);
      expect((await runGenerate(viaConfig, fromSql(backend, DESIRED), args(fresh.url!))).exitCode).toBe(0);
      await expect(runGenerate(project(), fromSql(backend, DESIRED), args(fresh.url!, ['TABLE_REWRIT']))).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining('--allow-hazards TABLE_REWRIT: not a hazard code'),
      });
    }));
});

describe('the default gate', () => {
  it('allows the online way, archived drops and contract breaks; refuses the rest', () => {
    const step = (code: HazardCode, extra: object = {}) => ({ hazards: [{ code, message: 'm', ...extra }], change: { kind: 'create_schema', to: { name: 's' } } });
    const phases = [
      { name: 'expand' as const, steps: [step('INDEX_BUILD'), step('BREAKS_OLD_CLIENTS'), step('DELETES_DATA'), step('DELETES_DATA', { mitigation: 'archived' })] },
      { name: 'contract' as const, steps: [step('BREAKS_OLD_CLIENTS'), step('UNSAFE_ENUM_CHANGE')] },
    ];
    const refused = refusedHazards(phases as never, []);
    expect(refused.map((r) => `${r.phase}:${r.code}`)).toEqual(['expand:BREAKS_OLD_CLIENTS', 'expand:DELETES_DATA', 'contract:UNSAFE_ENUM_CHANGE']);
    expect(refusedHazards(phases as never, ['BREAKS_OLD_CLIENTS', 'DELETES_DATA', 'UNSAFE_ENUM_CHANGE'])).toEqual([]);
  });
});
