/** Output names paths relative to the project the command runs in, never by their absolute path. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { project, removeProjects } from './tmp-project.js';

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const SCHEMA = { 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` };

describe('paths in output', () => {
  it('generate says "wrote generated/migrations/<id>", text and json; history problems name files relative too', { timeout: 600_000 }, async () => {
    const dir = project(SCHEMA);
    process.env.KEIKAKU_NOW = '2026-06-01T00:00:00Z';
    try {
      const text = await runCliIn(dir, 'generate', 'first');
      expect(text.code).toBe(0);
      expect(text.stdout.split('\n')[0]).toBe('wrote generated/migrations/20260601000000_first');
      expect(text.stdout).not.toContain(dir);
    } finally {
      delete process.env.KEIKAKU_NOW;
    }
    // A broken plan.json and a sum that no longer matches: the refusal names both without the project's path.
    writeFileSync(join(dir, 'generated', 'migrations', '20260601000000_first', 'plan.json'), '{');
    const refused = await runCliIn(dir, 'plan');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('migrations/20260601000000_first/plan.json');
    expect(refused.stderr).toContain('migrations.sum');
    expect(refused.stderr).not.toContain(dir);
  });

  it('generate --format json gives the folder relative to the project', { timeout: 600_000 }, async () => {
    const dir = project(SCHEMA);
    const json = await runCliIn(dir, 'generate', '--format', 'json', 'first');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).dir).toMatch(/^generated\/migrations\/\d{14}_first$/);
  });
});
