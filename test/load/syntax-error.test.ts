/**
 * A TypeScript syntax error in schema/ is reported where it is (file:line:column, 1-based), with esbuild's own
 * message and the offending line, instead of esbuild's bare "Transform failed with 1 error:".
 *
 * The CLI runs as its own process (bin/keikaku.js on the built dist/): inside vitest, schema files would be
 * compiled by vite's transform instead of tsx's esbuild, whose errors are what users see.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';
import { project, removeProjects } from '../cli/tmp-project.js';
import { ensureBuilt } from './built.js';

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const spawnCli = (cwd: string, ...argv: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [join(projectRoot, 'bin', 'keikaku.js'), ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('a syntax error in a schema file', () => {
  it('prints file:line:column, the parser message and the line, exit 1, for every command that loads schema/', { timeout: 180_000 }, async () => {
    const dir = project({
      'ok.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n`,
      'broken.ts': `import { integer, table } from 'keikaku';\n\nexport const u = table('u', {\n  id: integer(.primaryKey(),\n});\n`,
      'uses-broken.ts': `import { u } from './broken.js';\n\nexport const again = u;\n`,
    });
    for (const command of ['plan', 'generate']) {
      const r = await spawnCli(dir, command);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('Transform failed');
      expect(r.stderr).toContain(
        [
          'schema/broken.ts:4:15: error KK105: syntax error: Unexpected "."',
          '    4 |   id: integer(.primaryKey(),',
          '      |               ^',
        ].join('\n'),
      );
      // The file that imports it says where the error is, not "Transform failed".
      expect(r.stderr).toMatch(/schema\/uses-broken\.ts:\d+:\d+: error KK105: the file failed to load: schema\/broken\.ts:4:15: syntax error: Unexpected "\."/);
    }
  });

  it('an error thrown while a file runs: there, and in each file that imports it with the place it was thrown', { timeout: 180_000 }, async () => {
    const dir = project({
      'throws.ts': `import { table, varchar } from 'keikaku';\n\nexport const u = table('u', {\n  code: varchar(40 as never),\n});\n`,
      'uses-throws.ts': `import { u } from './throws.js';\n\nexport const again = u;\n`,
    });
    const r = await spawnCli(dir, 'plan');
    expect(r.code).toBe(1);
    const said = "varchar(40): its options are an object, after the column's name if it has one: varchar({ length: 40 }) or varchar('name', { length: 40 })";
    expect(r.stderr).toContain(`schema/throws.ts:4:9: error KK105: the file failed to load: ${said}`);
    expect(r.stderr).toMatch(new RegExp(`schema/uses-throws\\.ts:\\d+:\\d+: error KK105: the file failed to load: schema/throws\\.ts:4:9: ${said.replace(/[(){}.]/g, '\\$&')}`));
  });
});
