/**
 * `status` reports what was committed: an applied phase has its step counts in JSON (not null), and a failed or
 * interrupted phase's line always ends in a reason, never in a bare "0/1 steps committed:"; exit 2 while a phase is not applied. Server, through the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { project, removeProjects } from './tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

afterAll(removeProjects);

describe.runIf(server)('keikaku status (server)', () => {
  // tsc may take minutes on a busy machine.
  beforeAll(ensureBuilt, 600_000);

  it('applied phases carry stepsDone/stepsTotal; a failed one without an error text still says why', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
      expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
      // pending phases: exit 2, as check; all applied: 0
      const pending = await runCliIn(dir, 'status', '--database-url', fresh.url!);
      expect(pending.code, pending.stderr).toBe(2);
      expect(pending.stdout).toMatch(/expand\s+pending/);
      const applied = await runCliIn(dir, 'apply', '--database-url', fresh.url!);
      expect(applied.code, applied.stderr).toBe(0);
      const json = await runCliIn(dir, 'status', '--database-url', fresh.url!, '--format', 'json');
      expect(json.code).toBe(0);
      const phases = (JSON.parse(json.stdout) as { migrations: { phases: { state: string; stepsDone: number | null; stepsTotal: number | null }[] }[] }).migrations[0]!.phases;
      expect(phases.length).toBeGreaterThan(0);
      for (const p of phases) {
        expect(p.state).toBe('applied');
        expect(p.stepsTotal).toBeGreaterThan(0);
        expect(p.stepsDone).toBe(p.stepsTotal);
      }

      // The journal of a phase that failed before any step committed, with no error text (a process killed hard).
      await fresh.db.exec(`UPDATE keikaku.journal SET status = 'failed', steps_done = 0, error = NULL WHERE seq = (SELECT max(seq) FROM keikaku.journal)`);
      const text = await runCliIn(dir, 'status', '--database-url', fresh.url!);
      expect(text.code).toBe(2); // a failed phase is not applied
      const line = text.stdout.split('\n').find((l) => l.includes('steps committed'));
      expect(line).toMatch(/0\/\d+ steps committed: no error was recorded$/);
    } finally {
      await fresh.release();
    }
  });
});
