/**
 * A step still running after the notice delay (two seconds; KEIKAKU_NOTICE_MS here) gets one line on stderr —
 * "replaying N migrations…", "loading schema/…" — and never on stdout, so `--format json` stays parseable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { project, removeProjects } from './tmp-project.js';

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const withNoticeAfter = async <T>(ms: string, f: () => Promise<T>): Promise<T> => {
  const before = process.env.KEIKAKU_NOTICE_MS;
  process.env.KEIKAKU_NOTICE_MS = ms;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.KEIKAKU_NOTICE_MS;
    else process.env.KEIKAKU_NOTICE_MS = before;
  }
};

describe('slow-step notices', () => {
  it('plan names the replay and the schema load on stderr when they take longer than the delay; stdout JSON is clean', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
    expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    const slow = await withNoticeAfter('0', () => runCliIn(dir, 'plan', '--format', 'json'));
    expect(slow.code).toBe(0);
    expect(slow.stderr).toContain('keikaku: replaying 1 migration (a first run also starts the embedded PostgreSQL)…\n');
    expect(slow.stderr).toContain('keikaku: loading schema/ and normalizing it');
    expect(slow.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expect(JSON.parse(slow.stdout)).toMatchObject({ generatable: true });
    // Quicker than the delay: nothing.
    const quiet = await withNoticeAfter('3600000', () => runCliIn(dir, 'plan', '--format', 'json'));
    expect(quiet.stderr).toBe('');
  });
});
