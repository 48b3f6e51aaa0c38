/**
 * Citus distribution declared in the DSL (untested on Citus itself: docs/distributed.md). What can be tested here:
 * the migration that creates the tables carries the guarded calls (reviewable), the calls are skipped on plain
 * PostgreSQL so the migration applies on each backend and leaves the same catalog as without the declaration, and a
 * declaration that cannot work is refused at its file and line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, projectConfig } from '../../src/api.js';
import { ensureBuilt } from '../load/built.js';
import { backends, withFreshDb } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { snapshot } from '../support/snapshot.js';
import { project, removeProjects } from '../cli/tmp-project.js';

const PLAIN = `import { integer, table, text, uuid } from 'keikaku';
export const tenants = table('tenants', { id: uuid().primaryKey(), name: text() });
export const orders = table('orders', { tenantId: uuid().notNull().references(() => tenants.id), id: integer().notNull(), total: integer() }, (t) => []);
export const countries = table('countries', { code: text().primaryKey() });
`;
const DISTRIBUTED = PLAIN.replace("table('tenants',", "table({ name: 'tenants', distribute: { by: 'id' } },")
  .replace("table('orders',", "table({ name: 'orders', distribute: { by: 'tenant_id', colocateWith: () => tenants } },")
  .replace("table('countries',", "table({ name: 'countries', distribute: 'reference' },");

beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

describe('distribute (Citus, untested there)', () => {
  it('the migration holds the guarded calls; on plain PostgreSQL it applies and leaves the catalog of the plain tables', { timeout: 600_000 }, async () => {
    const [plain, distributed] = [project({ 't.ts': PLAIN }), project({ 't.ts': DISTRIBUTED })];
    for (const dir of [plain, distributed]) expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    const [id] = readdirSync(join(distributed, 'generated/migrations'));
    const up = readFileSync(join(distributed, 'generated/migrations', id!, '1_expand.up.sql'), 'utf8');
    expect(up).toContain(`PERFORM create_distributed_table('"public"."tenants"', 'id');`);
    expect(up).toContain(`PERFORM create_distributed_table('"public"."orders"', 'tenant_id', colocate_with => '"public"."tenants"');`);
    expect(up).toContain(`PERFORM create_reference_table('"public"."countries"');`);
    expect(up.match(/IF EXISTS \(SELECT FROM pg_catalog\.pg_extension WHERE extname = 'citus'\)/g)).toHaveLength(3);
    // Distributed before the foreign key between them is added.
    expect(up.indexOf('create_distributed_table(\'"public"."orders"\'')).toBeLessThan(up.indexOf('FOREIGN KEY'));
    // Nothing is left to generate: the declaration is not part of the normalized schema.
    expect((await runCliIn(distributed, 'plan')).stdout).toContain('No changes');

    for (const backend of await backends()) {
      const catalogs = [];
      for (const dir of [plain, distributed]) {
        const config = await projectConfig({ root: dir });
        catalogs.push(
          await withFreshDb(backend, async (db, fresh) => {
            expect((await apply({ config, ...(fresh.url ? { databaseUrl: fresh.url } : { db }) })).kind).toBe('ran');
            return (await snapshot(db)).filter((l) => !/\bkeikaku\b/.test(l));
          }),
        );
      }
      expect(catalogs[1]).toEqual(catalogs[0]);
    }
  });

  it('refuses a distribution column the table does not have, and colocation with a table not distributed by a column', async () => {
    const missing = await runCliIn(project({ 't.ts': DISTRIBUTED.replace("by: 'tenant_id'", "by: 'tenant'") }), 'plan');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/schema\/t\.ts:\d+:\d+: error KK102: table public\.orders: distribute\.by names tenant, which is not one of its columns/);
    const colocated = await runCliIn(project({ 't.ts': DISTRIBUTED.replace('colocateWith: () => tenants', 'colocateWith: () => countries') }), 'plan');
    expect(colocated.code).toBe(1);
    expect(colocated.stderr).toContain('error KK104: table public.orders: distribute.colocateWith must return a table distributed by a column');
  });
});
