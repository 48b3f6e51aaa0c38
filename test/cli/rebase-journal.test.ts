/**
 * After `generate --rebase`, a database that ran the old (re-planned) migration is told what happened and the way
 * out, and the way out works: resolve the old id rolled back, apply up to the new parent, resolve the new id
 * applied, apply. Server, through the CLI.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { resum } from '../check/project.js';
import { edited, project, removeProjects } from './tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

const tables = (...names: string[]) => ({
  'tables.ts': `import { integer, table } from 'keikaku';\n\n${names.map((n) => `export const ${n} = table('${n}', { id: integer().primaryKey() });\n`).join('')}`,
});

afterAll(removeProjects);

const at = async (now: string, dir: string, ...argv: string[]) => {
  process.env.KEIKAKU_NOW = now;
  try {
    return await runCliIn(dir, ...argv);
  } finally {
    delete process.env.KEIKAKU_NOW;
  }
};

describe.runIf(server)('a database that ran a migration generate --rebase re-planned', () => {
  beforeAll(ensureBuilt, 600_000);

  it('gets a clear refusal naming the new id and the way out, which works', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const url = fresh.url!;
      const base = project(tables('base'));
      expect((await at('2026-05-01T00:00:00Z', base, 'generate', 'base')).code).toBe(0);
      const ours = edited(base, tables('base', 'ours'));
      expect((await at('2026-05-02T00:00:00Z', ours, 'generate', 'ours')).code).toBe(0);
      const theirs = edited(base, tables('base', 'theirs'));
      expect((await at('2026-05-03T00:00:00Z', theirs, 'generate', 'theirs')).code).toBe(0);
      // A staging database ran their branch.
      expect((await runCliIn(theirs, 'apply', '--database-url', url)).code).toBe(0);

      const merged = edited(ours, tables('base', 'ours', 'theirs'));
      cpSync(join(theirs, 'generated', 'migrations'), join(merged, 'generated', 'migrations'), { recursive: true });
      resum(join(merged, 'generated'));
      const rebased = await at('2026-05-04T00:00:00Z', merged, 'generate', '--rebase');
      expect(rebased.code, rebased.stderr).toBe(0);
      const ids = readdirSync(join(merged, 'generated/migrations')).sort();
      expect(ids).toEqual(['20260501000000_base', '20260502000000_ours', '20260504000000_theirs']);
      expect(JSON.parse(readFileSync(join(merged, 'generated/migrations', ids[2]!, 'plan.json'), 'utf8'))).toMatchObject({ replaces: ['20260503000000_theirs'] });

      const refused = await runCliIn(merged, 'apply', '--database-url', url);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('this database ran 20260503000000_theirs (applied), which `generate --rebase` re-planned as 20260504000000_theirs');
      expect(refused.stderr).toContain('`keikaku resolve 20260503000000_theirs --rolled-back`');
      expect(refused.stderr).toContain('`keikaku apply --to 20260502000000_ours`');

      // The way out, as the message says it.
      for (const argv of [
        ['resolve', '20260503000000_theirs', '--rolled-back'],
        ['apply', '--to', '20260502000000_ours'],
        ['resolve', '20260504000000_theirs', '--applied'],
        ['apply'],
      ]) {
        const r = await runCliIn(merged, ...argv, '--database-url', url);
        expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      }
      expect((await runCliIn(merged, 'status', '--database-url', url)).code).toBe(0);
      const check = await runCliIn(merged, 'check', '--database-url', url, '--no-lint');
      expect(check.code, check.stdout).toBe(0);
    } finally {
      await fresh.release();
    }
  });
});
