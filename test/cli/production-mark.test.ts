/**
 * The production guard identifies the database, not the URL: once a database is marked production (or a production
 * environment of the config has been acted on), every route to it — 127.0.0.1, localhost, the Unix socket — needs
 * --yes for apply, down, pull (baseline) and archive prune, and without it exits 3 with nothing changed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/index.js';
import { runGenerate } from '../../src/cli/generate.js';
import type { DesiredLoader } from '../../src/project/desired.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { parsePgUrl } from '../../src/db/url.js';
import { readSchema } from '../../src/load/source.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';

const server = (await backends()).find((b) => b.name === 'server');
const SOCKET_DIR = '/var/run/postgresql';
const socketReachable = existsSync(join(SOCKET_DIR, '.s.PGSQL.5432'));

if (!server) console.warn('production-mark.test.ts: skipped, no PostgreSQL server (the aliases need one)');

describe.runIf(server)('production is a property of the database (server)', () => {
  let scratch: ScratchDatabase;
  let root: string;
  const routes: Record<string, string> = {};
  const cli = (...args: string[]) => runCliIn(root, ...args);
  const tableExists = async () =>
    (await scratch.db.query<{ ok: boolean }>(`SELECT to_regclass('public.notes') IS NOT NULL AS ok`))[0]!.ok;
  const journalRows = async () =>
    (await scratch.db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.journal') IS NOT NULL AS ok`))[0]!.ok
      ? Number((await scratch.db.query<{ n: string }>('SELECT count(*) AS n FROM keikaku.journal'))[0]!.n)
      : 0;

  beforeAll(async () => {
    scratch = await createScratchDatabase(server!.serverUrl!);
    const { target } = parsePgUrl(scratch.url);
    routes['127.0.0.1'] = `postgres://${target.user}@127.0.0.1:${target.port}/${target.database}`;
    routes.localhost = `postgres://${target.user}@localhost:${target.port}/${target.database}`;
    if (socketReachable) routes.socket = `postgres://${target.user}@${encodeURIComponent(SOCKET_DIR)}:${target.port}/${target.database}`;
    root = mkdtempSync(join(tmpdir(), 'kk-prod-'));
    const config: ResolvedConfig = {
      root,
      configFile: null,
      schemaDir: join(root, 'schema'),
      generatedDir: join(root, 'generated'),
      shadowUrl: server!.serverUrl,
      strategy: 'simple',
      allowHazards: [],
      environments: {},
      databaseUrl: undefined,
    };
    // The desired schema normalized on a scratch database of the same server.
    const desired: DesiredLoader = async () => {
      const shadow = await createScratchDatabase(server!.serverUrl!);
      try {
        await shadow.db.exec('CREATE TABLE public.notes (id integer PRIMARY KEY, body text)');
        return { schema: await readSchema(shadow.db), hints: [] };
      } finally {
        await shadow.drop();
      }
    };
    await runGenerate(config, desired, { name: 'init', renames: [], noRename: [], format: 'text', now: new Date('2026-01-02T03:04:05Z') });
  });
  afterAll(async () => {
    await scratch?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('env mark, then apply through every route: refused (exit 3), nothing changed; --yes runs it', async () => {
    if (!socketReachable) console.warn(`production-mark.test.ts: no socket in ${SOCKET_DIR}; the socket route is not tried`);
    const mark = await cli('env', 'mark', 'production', '--database-url', routes['127.0.0.1']!);
    expect(mark.code, mark.stderr).toBe(0);
    for (const [name, url] of Object.entries(routes)) {
      const r = await cli('apply', '--database-url', url);
      expect(r.code, `${name}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stderr).toContain('production database');
      expect(await tableExists()).toBe(false);
      expect(await journalRows()).toBe(0);
    }
    const shown = await cli('env', 'show', '--database-url', routes.localhost!, '--format', 'json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ production: true, productionBy: 'database', marks: [{ kind: 'production' }] });
    const yes = await cli('apply', '--database-url', routes.localhost!, '--yes');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toContain('marked production in the database');
    expect(await tableExists()).toBe(true);
  });

  it('down, archive prune and pull through every route: refused, nothing changed', async () => {
    await scratch.db.exec('INSERT INTO public.notes VALUES (1, $$kept$$)');
    const pullDir = mkdtempSync(join(tmpdir(), 'kk-prod-pull-'));
    mkdirSync(join(pullDir, 'generated'));
    try {
      for (const [name, url] of Object.entries(routes)) {
        const journal = await journalRows();
        const down = await cli('down', '--database-url', url);
        expect(down.code, `down via ${name}: ${down.stderr}`).toBe(3);
        expect(await tableExists()).toBe(true);
        expect(await journalRows()).toBe(journal);
        const prune = await cli('archive', 'prune', '--older-than', '1s', '--database-url', url);
        expect(prune.code, `archive prune via ${name}: ${prune.stderr}`).toBe(3);
        const pull = await runCliIn(pullDir, 'pull', '--database-url', url);
        expect(pull.code, `pull via ${name}: ${pull.stderr}`).toBe(3);
        expect(existsSync(join(pullDir, 'schema'))).toBe(false);
        expect(await journalRows()).toBe(journal);
      }
    } finally {
      rmSync(pullDir, { recursive: true, force: true });
    }
    expect((await scratch.db.query<{ n: string }>('SELECT count(*) AS n FROM public.notes'))[0]!.n).toBe('1');
  });

  it('unmark is guarded itself; unmarked, the aliases are no longer production', async () => {
    expect((await cli('env', 'unmark', 'production', '--database-url', routes.localhost!)).code).toBe(3);
    const r = await cli('env', 'unmark', 'production', '--database-url', routes.localhost!, '--yes');
    expect(r.code, r.stderr).toBe(0);
    const shown = await cli('env', 'show', '--database-url', routes['127.0.0.1']!, '--format', 'json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ production: false, marks: [] });
  });

  it('a production environment of the config, once acted on, marks the database: other routes are guarded', async () => {
    writeFileSync(join(root, 'keikaku.config.ts'), `export default { strategy: 'simple', environments: { production: { url: ${JSON.stringify(routes['127.0.0.1'])}, production: true } } };\n`);
    try {
      // No rows to lose: this test is about the guard, not about down's data-loss gate.
      await scratch.db.exec('DELETE FROM public.notes');
      const plain = await cli('down', '--env', 'production');
      expect(plain.code).toBe(3);
      const yes = await cli('down', '--env', 'production', '--yes');
      expect(yes.code, yes.stderr).toBe(0);
      expect(await tableExists()).toBe(false);
      const viaAlias = await cli('apply', '--database-url', routes.localhost!);
      expect(viaAlias.code, viaAlias.stdout).toBe(3);
      expect(await tableExists()).toBe(false);
    } finally {
      rmSync(join(root, 'keikaku.config.ts'));
    }
  });
});
