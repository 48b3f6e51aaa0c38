/**
 * `plan --watch` and `push --watch` as a user runs them (a child process): the first report, then a new one after
 * a save in schema/ with how long after the save it came, a broken save reported without ending the watch, and
 * Ctrl-C ending it. How fast it reacts is measured by `npm run bench:watch`, not here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { project, removeProjects } from './tmp-project.js';

const BIN = join(projectRoot, 'bin', 'keikaku.js');
const server = (await backends()).find((b) => b.name === 'server');

const T = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text() });\n`;
const T2 = T.replace('name: text() }', 'name: text(), note: text() }');
const BROKEN = T.replace('text() }', 'text( }');

interface Watched {
  readonly child: ChildProcess;
  out: string;
  err: string;
  /** Resolves once stdout+stderr match `re` (after `from` characters of stderr). */
  until(re: RegExp, stream: 'out' | 'err', timeoutMs?: number): Promise<void>;
}

const start = (dir: string, args: string[]): Watched => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const w: Watched = {
    child,
    out: '',
    err: '',
    until: (re, stream, timeoutMs = 240_000) =>
      new Promise((resolve, reject) => {
        const check = () => re.test(stream === 'out' ? w.out : w.err) && (clearInterval(poll), clearTimeout(timer), resolve());
        const poll = setInterval(check, 20);
        const timer = setTimeout(() => (clearInterval(poll), reject(new Error(`no ${re} on std${stream} in ${timeoutMs} ms:\n${w.out}\n${w.err}`))), timeoutMs);
        check();
      }),
  };
  child.stdout!.on('data', (d) => (w.out += String(d)));
  child.stderr!.on('data', (d) => (w.err += String(d)));
  return w;
};

const stop = (w: Watched): Promise<number | null> =>
  new Promise((resolve) => {
    if (w.child.exitCode !== null) return resolve(w.child.exitCode);
    w.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    w.child.kill('SIGINT');
  });

afterAll(removeProjects);
beforeAll(ensureBuilt, 600_000);

describe('--watch', () => {
  it('plan --watch: a save is re-planned (the time after the save reported); a broken save is an error, the watch goes on; Ctrl-C ends it', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': T });
    const w = start(dir, ['plan', '--watch']);
    try {
      await w.until(/watching schema\/ for saves/, 'err');
      expect(w.out).toContain('create table public.t');
      expect(w.out).not.toContain('note');

      writeFileSync(join(dir, 'schema', 't.ts'), T2);
      await w.until(/add column public\.t\.note|create table public\.t[\s\S]*create table public\.t/, 'out');
      await w.until(/\(\d+\.\d\d s after the save; watching\)/, 'err');
      expect(w.err).toContain('schema/t.ts saved: re-planning');
      // The new plan has the column in the table created.
      expect(w.out.slice(w.out.lastIndexOf('change(s) between'))).toMatch(/create table public\.t/);

      const before = w.err.length;
      writeFileSync(join(dir, 'schema', 't.ts'), BROKEN);
      await w.until(/KK10\d|error/, 'err');
      expect(w.err.slice(before)).toContain('schema/t.ts');
      expect(w.child.exitCode).toBeNull();

      // Saved as vim does: a new file renamed over the old one.
      writeFileSync(join(dir, 'schema', 't.ts.swp'), T);
      renameSync(join(dir, 'schema', 't.ts.swp'), join(dir, 'schema', 't.ts'));
      await w.until(/[\s\S]*saved: re-planning[\s\S]*saved: re-planning[\s\S]*saved: re-planning[\s\S]*after the save; watching\)\n$/, 'err');
    } finally {
      expect(await stop(w)).toBe(130);
    }
  });

  it.runIf(server)('push --watch --yes: each save reaches the database', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    const dir = project({ 't.ts': T });
    const w = start(dir, ['push', '--watch', '--yes', '--database-url', fresh.url!]);
    try {
      await w.until(/watching schema\/ for saves/, 'err');
      expect(w.out).toContain('matches schema/');
      writeFileSync(join(dir, 'schema', 't.ts'), T2);
      await w.until(/add column public\.t\.note[\s\S]*matches schema\//, 'out');
      expect(await fresh.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position`)).toEqual([
        { column_name: 'id' },
        { column_name: 'name' },
        { column_name: 'note' },
      ]);
    } finally {
      expect(await stop(w)).toBe(130);
      await fresh.release();
    }
  });
});
