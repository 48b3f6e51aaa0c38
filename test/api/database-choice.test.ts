/**
 * One way to choose the database (DESIGN §4, src/project/target.ts), the same in every command that touches one:
 * an `--env NAME` keikaku.config.ts does not define is refused before anything connects or loads, with exit 1 and
 * one line naming the environments it does define; `--env` and a URL for the same database conflict where both name
 * the database to compare with.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { emptyDir, removeProjects, writeFiles } from '../cli/tmp-project.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

const CONFIG = `import { defineConfig } from 'keikaku';
export default defineConfig({
  environments: {
    staging: { url: 'postgres://app@staging.invalid/shop' },
    production: { url: 'env:PRODUCTION_DATABASE_URL', production: true },
  },
});
`;

const COMMANDS: readonly (readonly string[])[] = [
  ['plan'],
  ['generate', 'x'],
  ['pull'],
  ['check'],
  ['status'],
  ['apply'],
  ['down'],
  ['archive', 'prune', '--older-than', '30d'],
  ['env', 'show'],
  ['env', 'mark', 'production'],
];

describe('--env NAME', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c] as const))('%s: an unknown environment is exit 1 naming the known ones', async (_, argv) => {
    const dir = emptyDir();
    writeFiles(dir, { 'keikaku.config.ts': CONFIG, 'schema/.keep': '', 'generated/.keep': '' });
    const r = await runCliIn(dir, ...argv, '--env', 'qa');
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `keikaku: --env qa: no such environment in ${join(dir, 'keikaku.config.ts')}; known: staging, production\n`]);
  });

  it('plan and generate: --env and --from-db both name the database to compare with, so they conflict', async () => {
    const dir = emptyDir();
    writeFiles(dir, { 'keikaku.config.ts': CONFIG });
    const r = await runCliIn(dir, 'plan', '--env', 'staging', '--from-db', 'postgres://app@localhost/shop');
    expect([r.code, r.stderr]).toEqual([1, 'keikaku: Arguments from-db and env are mutually exclusive\n']);
  });
});
