/**
 * The API as a package user sees it: `keikaku/api` resolves (package.json "exports") to the built dist/api.js with
 * its types in dist/api.d.ts, and the example script of docs/api.md runs against a copy of the example app with a
 * column added to schema/, reporting that change as `plan` and `check` do.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { exampleProject, removeProjects, replaceIn } from '../check/project.js';
import { projectRoot } from '../support/paths.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

const run = promisify(execFile);

describe('keikaku/api', () => {
  it('is exported with its types from dist/', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    expect(pkg.exports['./api']).toEqual({ types: './dist/api.d.ts', default: './dist/api.js' });
    const types = readFileSync(join(projectRoot, 'dist/api.d.ts'), 'utf8');
    for (const name of ['plan', 'generate', 'apply', 'check', 'pull', 'verify', 'status', 'diff'])
      expect(types, name).toMatch(new RegExp(`export declare const ${name}: \\(o\\??: `));
    expect(existsSync(join(projectRoot, 'dist/project/generate.d.ts'))).toBe(true);
  });

  it('docs/examples/api.mjs reports an ungenerated column through plan and check', async () => {
    const config = await exampleProject((root) =>
      replaceIn(join(root, 'schema/offices.ts'), "    timezone: text().notNull().default('Asia/Tokyo'),\n", "    timezone: text().notNull().default('Asia/Tokyo'),\n    phone: text(),\n"),
    );
    const script = join(projectRoot, 'docs/examples/api.mjs');
    const r = await run(process.execPath, [script, config.root], { cwd: config.root, env: { ...process.env, KEIKAKU_NOTICE_MS: '3600000' } }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('6 migration(s); 1 change(s) in schema/ not generated yet');
    expect(lines[1]).toBe('  expand: add column public.offices.phone');
    expect(lines[2]).toBe('check: exit 2, 1 finding(s)');
    expect(lines[3]).toMatch(/^ {2}ungenerated-change: schema\/ has a change no migration holds: add column public\.offices\.phone \(test\/\.tmp-check-[^/]+\/schema\/offices\.ts:11\)$/);
    expect('code' in r ? r.code : 0).toBe(2);
  });
});
