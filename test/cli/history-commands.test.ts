/**
 * resolve, discard and reset through the CLI against the server: their guards (an unknown migration, a database
 * that ran what discard would delete, a production or unconfirmed reset) and what they leave behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/load/migrations.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { edited, project, removeProjects } from './tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

const T = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text() });\n`;
const T2 = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text(), note: text() });\n`;

afterAll(removeProjects);

describe.runIf(server)('history commands (server, CLI)', () => {
  beforeAll(ensureBuilt, 600_000);

  it('discard refuses while a known database ran the newest migration, deletes it once undone; resolve names what it does not know', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const first = project({ 't.ts': T });
      expect((await runCliIn(first, 'generate', 'first')).code).toBe(0);
      const dir = edited(first, { 't.ts': T2 });
      expect((await runCliIn(dir, 'generate', 'add_note')).code).toBe(0);
      const ids = readdirSync(join(dir, 'generated/migrations')).sort();
      const url = fresh.url!;
      expect((await runCliIn(dir, 'apply', '--database-url', url)).code).toBe(0);

      const refused = await runCliIn(dir, 'discard', '--database-url', url);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`refusing to discard ${ids[1]}: a database has run it`);
      expect(refused.stderr).toContain('expand applied');
      expect(existsSync(join(dir, 'generated/migrations', ids[1]!))).toBe(true);

      const unknown = await runCliIn(dir, 'resolve', ids[1]!.replace('add_note', 'add_nots'), '--applied', '--database-url', url);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain(`did you mean ${ids[1]}?`);
      expect((await runCliIn(dir, 'resolve', ids[1]!, '--database-url', url)).stderr).toContain('--applied or --rolled-back');

      expect((await runCliIn(dir, 'down', '--database-url', url)).code).toBe(0);
      // An unreachable database is reported, not a refusal.
      const dry = await runCliIn(dir, 'discard', '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('not reachable, not checked');
      const ok = await runCliIn(dir, 'discard', '--database-url', url, '--format', 'json');
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ migration: ids[1], discarded: true, databases: [{ state: 'unused' }] });
      expect(readdirSync(join(dir, 'generated/migrations'))).toEqual([ids[0]]);
      expect(readHistory(join(dir, 'generated')).problems).toEqual([]);
      expect(readFileSync(join(dir, 'generated/schema.sql'), 'utf8')).toContain(`head: ${ids[0]}`);
      expect(readFileSync(join(dir, 'generated/schema.sql'), 'utf8')).not.toContain('note');
      // schema/ still declares the column: the next generate writes it again.
      expect((await runCliIn(dir, 'status', '--database-url', url)).code).toBe(0);
    } finally {
      await fresh.release();
    }
  });

  it('reset: refused without --yes off a terminal and on production; with --yes the rows are gone and every migration applied', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const dir = project({ 't.ts': T });
      expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
      const url = fresh.url!;
      expect((await runCliIn(dir, 'apply', '--database-url', url)).code).toBe(0);
      await fresh.db.exec(`INSERT INTO t VALUES (1, 'kept?')`);

      const unconfirmed = await runCliIn(dir, 'reset', '--database-url', url);
      expect(unconfirmed.code).toBe(3);
      expect(unconfirmed.stderr).toMatch(/refusing to reset .* without --yes .*: it would drop schemas keikaku, public with \d+ tables/);
      expect(await fresh.db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
      const flagged = await runCliIn(dir, 'reset', '--database-url', url, '--production', '--yes');
      expect(flagged.code).toBe(3);
      expect(flagged.stderr).toContain('it is a production database (--production)');

      const reset = await runCliIn(dir, 'reset', '--database-url', url, '--yes');
      expect(reset.code, reset.stderr).toBe(0);
      expect(await fresh.db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 0 }]);
      expect((await runCliIn(dir, 'status', '--database-url', url)).code).toBe(0);

      // A database marked production refuses whatever the URL says.
      expect((await runCliIn(dir, 'env', 'mark', 'production', '--database-url', url)).code).toBe(0);
      const marked = await runCliIn(dir, 'reset', '--database-url', url, '--yes');
      expect(marked.code).toBe(3);
      expect(marked.stderr).toContain('the database is marked');
    } finally {
      await fresh.release();
    }
  });
});
