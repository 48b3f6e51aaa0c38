/**
 * The config evaluated once per process while nothing it read changed (`evaluateConfig`, src/config/evaluate.ts):
 * a second evaluation in the same process (the daemon's next run, a program using the API) takes the first one's
 * module, also for a config the cache on disk must not hold (a password in it); an edit of the file, or of a
 * variable it read, evaluates it again; KEIKAKU_NO_CACHE evaluates it every time. The built module runs in a
 * process of its own, as the daemon runs it (the config imports `keikaku`, which resolves to dist/).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../../src/load/cache.js';
import { emptyDir, removeProjects, writeFiles } from '../cli/tmp-project.js';
import { projectRoot } from '../support/paths.js';
import { ensureBuilt } from './built.js';

beforeAll(() => ensureBuilt());
afterAll(() => removeProjects());

const configText = (generated: string) =>
  [
    `import { defineConfig } from 'keikaku';`,
    `const g = globalThis as Record<string, unknown>;`,
    `g.evaluations = ((g.evaluations as number | undefined) ?? 0) + 1;`,
    `export default defineConfig({ generatedDir: '${generated}', shadowUrl: 'postgres://me:not-for-the-cache@localhost/db', schemaDir: process.env.KK_CONFIG_MEMO_SCHEMA ?? 'schema' });`,
    '',
  ].join('\n');

/** Evaluates the config in steps, reporting after each: how many evaluations ran, and whether the module is the last one. */
const script = (evaluate: string) => `
import { writeFileSync } from 'node:fs';
const { evaluateConfig } = await import(${JSON.stringify(evaluate)});
const file = new URL('./keikaku.config.ts', import.meta.url).pathname;
const steps = [];
let last;
const step = async (name) => {
  const mod = await evaluateConfig(file, { parentUrl: import.meta.url });
  steps.push({ name, evaluations: globalThis.evaluations, same: mod === last, value: mod.default });
  last = mod;
};
process.env.KK_CONFIG_MEMO_SCHEMA = 'one';
await step('first');
await step('again');
writeFileSync(file, ${JSON.stringify(configText('gen2'))});
await step('edited');
await step('edited, again');
process.env.KK_CONFIG_MEMO_SCHEMA = 'two';
await step('variable changed');
process.env.KEIKAKU_NO_CACHE = '1';
await step('no cache');
await step('no cache, again');
console.log(JSON.stringify(steps));
`;

describe('evaluateConfig in one process', () => {
  it('takes the last evaluation while the file and the variables it read are unchanged, and never writes the password', async () => {
    const dir = emptyDir();
    const evaluate = pathToFileURL(join(projectRoot, 'dist', 'config', 'evaluate.js')).href;
    writeFiles(dir, { 'keikaku.config.ts': configText('gen'), 'steps.mjs': script(evaluate) });
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'steps.mjs')], { cwd: dir });
    const steps = JSON.parse(stdout) as { name: string; evaluations: number; same: boolean; value: { generatedDir: string; schemaDir: string } }[];
    const at = (name: string) => steps.find((s) => s.name === name)!;
    expect(at('first')).toMatchObject({ evaluations: 1, value: { generatedDir: 'gen', schemaDir: 'one' } });
    expect(at('again')).toMatchObject({ evaluations: 1, same: true });
    expect(at('edited')).toMatchObject({ evaluations: 2, same: false, value: { generatedDir: 'gen2' } });
    expect(at('edited, again')).toMatchObject({ evaluations: 2, same: true });
    expect(at('variable changed')).toMatchObject({ evaluations: 3, same: false, value: { schemaDir: 'two' } });
    expect(at('no cache')).toMatchObject({ evaluations: 4 });
    expect(at('no cache, again')).toMatchObject({ evaluations: 5, same: false });
    // Not on disk: the config holds a password.
    const entries = existsSync(cacheDir(dir)) ? readdirSync(cacheDir(dir)) : [];
    expect(entries.filter((f) => f.startsWith('config-'))).toEqual([]);
  });
});
