/**
 * The questions keikaku asks on a terminal (the real CLI under a pseudo-terminal made by `script`, answered on its
 * stdin): `reset` and a production `apply` go on only when the database's name is typed; `push` only on "y".
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { edited, project, removeProjects } from './tmp-project.js';

const bin = join(projectRoot, 'bin/keikaku.js');
const server = (await backends()).find((b) => b.name === 'server');
const T = `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n`;

/** keikaku under a pseudo-terminal in `dir`, `answer` typed at its prompt; what the terminal showed, and the exit code. */
const onTerminal = (dir: string, args: string, answer: string) => {
  const r = spawnSync('script', ['-qec', `${process.execPath} ${bin} ${args}`, '/dev/null'], {
    cwd: dir,
    input: `${answer}\n`,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TERM: 'dumb' },
  });
  return { out: r.stdout, code: r.status };
};

beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

describe.runIf(server && existsSync('/usr/bin/script'))('prompts on a terminal (server)', () => {
  it('reset and a production apply need the database name typed; push needs y', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const dir = project({ 't.ts': T });
      const url = fresh.url!;
      const tables = async () => (await fresh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`))[0]!.n;

      const declined = onTerminal(dir, `push --database-url ${url}`, 'n');
      expect(declined.out).toContain('Push these changes? [y/N]');
      expect(declined.code).toBe(3);
      expect(await tables()).toBe(0);
      expect(onTerminal(dir, `push --database-url ${url}`, 'y').code).toBe(0);
      expect(await tables()).toBe(1);

      const wrong = onTerminal(dir, `reset --database-url ${url}`, 'not-it');
      expect(wrong.out).toContain(`Type its name (${fresh.url!.split('/').pop()}) to go on:`);
      expect(wrong.out).toContain('stopped: "not-it" is not');
      expect(wrong.code).toBe(3);
      expect(await tables()).toBe(1);

      const name = url.split('/').pop()!;
      expect(onTerminal(dir, 'generate first', '').code).toBe(0);
      const reset = onTerminal(dir, `reset --database-url ${url}`, name);
      expect(reset.code, reset.out).toBe(0);
      const journal = () => fresh.db.query(`SELECT count(*)::int AS n FROM keikaku.journal`);
      expect(await journal()).toEqual([{ n: 1 }]);

      const next = edited(dir, { 't.ts': T.replace('primaryKey() }', 'primaryKey(), note: text() }').replace('{ integer,', '{ integer, text,') });
      expect(onTerminal(next, 'generate second', '').code).toBe(0);
      const production = onTerminal(next, `apply --database-url ${url} --production`, 'nope');
      expect(production.out).toContain(`is a production database. Type its name (${name}) to apply migrations to:`);
      expect(production.code).toBe(3);
      expect(await journal()).toEqual([{ n: 1 }]);
    } finally {
      await fresh.release();
    }
  });
});
