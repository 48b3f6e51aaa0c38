/**
 * Every runnable example of README.md and docs/ (the conventions are in examples.ts) is run with the real CLI in a
 * temporary copy of this project (the example app's schema/ and generated/, package.json, and links to bin/,
 * dist/ and node_modules/ so that schema files import `keikaku` and the schema cache is shared), and its output
 * compared with the page's after masking times, ids, hashes and paths. PGlite needs no server; blocks marked
 * `console server` run on a new database of the PostgreSQL server and are skipped without one (unless CI=true).
 *
 * KEIKAKU_DOCS_RECORD=1 writes the actual output into the pages instead of failing (blocks that still match
 * are left as written, `…` lines included): review the diff before committing it. KEIKAKU_DOCS_PAGES=a.md,b.md
 * runs only those pages.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { applyPatch } from 'diff';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { ensureBuilt } from '../load/built.js';
import { serverRequired, testServerUrl } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { mask, outputMatches, parsePage, type Block, type MaskContext, type Page } from './examples.js';

const RECORD = process.env.KEIKAKU_DOCS_RECORD === '1';
/** How a page names the project directory and the database in recorded output. */
const SHOWN_PROJECT = '/home/you/app';
const SHOWN_DATABASE = 'shop';

const markdownUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
      )
    : [];

const pages = ['README.md', ...markdownUnder(join(projectRoot, 'docs')).map((p) => relative(projectRoot, p))]
  .sort()
  .map((path) => ({ path, page: parsePage(readFileSync(join(projectRoot, path), 'utf8')) }))
  .filter((p) => p.page.blocks.length > 0)
  // KEIKAKU_DOCS_PAGES=README.md,docs/commands/plan.md runs only those pages (while writing them).
  .filter((p) => !process.env.KEIKAKU_DOCS_PAGES || process.env.KEIKAKU_DOCS_PAGES.split(',').includes(p.path));

const ctx: MaskContext = { knownIds: new Set(readdirSync(join(projectRoot, 'generated/migrations')).map((d) => d.slice(0, 14))) };

const serverProblem = async (): Promise<string | undefined> => {
  try {
    const db = await connectPg(testServerUrl(), { connectTimeoutMs: 3_000 });
    await db.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/** A copy of the project to run a page's examples in; `keikaku` on PATH runs this repository's CLI. */
const projectCopy = (slug: string, empty: boolean): { dir: string; binDir: string } => {
  mkdirSync(join(projectRoot, 'test'), { recursive: true });
  const dir = mkdtempSync(join(projectRoot, `test/.tmp-docs-${slug}-`));
  cpSync(join(projectRoot, 'package.json'), join(dir, 'package.json'));
  for (const link of ['bin', 'dist', 'node_modules']) symlinkSync(join(projectRoot, link), join(dir, link));
  if (!empty) for (const d of ['schema', 'generated']) cpSync(join(projectRoot, d), join(dir, d), { recursive: true });
  const binDir = mkdtempSync(join(tmpdir(), 'keikaku-docs-bin-'));
  writeFileSync(join(binDir, 'keikaku'), `#!/bin/sh\nexec "${process.execPath}" "${join(projectRoot, 'bin/keikaku.js')}" "$@"\n`);
  chmodSync(join(binDir, 'keikaku'), 0o755);
  return { dir, binDir };
};

/** Runs the commands in one bash, each after a marker line, so every command's output can be told apart. */
const runCommands = (commands: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const tag = `@@keikaku-docs-${randomBytes(4).toString('hex')}`;
    const script = commands.map((c, i) => `__rc=$?; printf '\\n${tag}-${i}@@\\n'; (exit $__rc); ${c}`).join('\n');
    const child = spawn('bash', ['-c', `exec 2>&1\n${script}`], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    // A command that hangs is killed with everything it started (bash leads its own process group).
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const parts = out.split(new RegExp(`\\n${tag}-\\d+@@\\n`));
      resolve(commands.map((_, i) => parts[i + 1] ?? ''));
    });
  });

/** At most this many pages run at once: each CLI run may start an embedded Postgres (~700 MB, most of a core). */
const PAGES_AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];
const slot = async <T>(fn: () => Promise<T>): Promise<T> => {
  if (running >= PAGES_AT_ONCE) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
};

const rewriteBlock = (markdown: string, block: Block & { kind: 'console' }, outputs: readonly string[]): string => {
  const lines = markdown.split('\n');
  let end = block.line;
  while (!/^(`{3,}|~{3,})\s*$/.test(lines[end]!)) end++;
  const body = block.commands.flatMap((c, i) => [`$ ${c.command}`, ...(outputs[i]!.replace(/\n$/, '') === '' ? [] : outputs[i]!.replace(/\n$/, '').split('\n'))]);
  lines.splice(block.line, end - block.line, ...body);
  return lines.join('\n');
};

const createDatabase = async (): Promise<{ name: string; url: string }> => {
  const name = `kk_docs_${randomBytes(5).toString('hex')}`;
  const admin = await connectPg(testServerUrl());
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  return { name, url: testServerUrl().replace(/\/[^/?#]*(?=$|\?)/, `/${name}`) };
};

const dropDatabase = async (name: string): Promise<void> => {
  const admin = await connectPg(testServerUrl());
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
};

/**
 * Runs a page's blocks in order in its own project copy. Returns what differs (block by block, masked), and in
 * record mode writes the actual output of each differing block into the page.
 */
const runPage = async (path: string, page: Page, skipServer: string | undefined): Promise<{ failures: string[]; skipped: number }> => {
  const copy = projectCopy(path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-md$/, ''), page.emptyProject);
  const needsServer = page.blocks.some((b) => b.kind === 'console' && b.server);
  const database = needsServer && skipServer === undefined ? await createDatabase() : undefined;
  const failures: string[] = [];
  const recorded = new Map<Block & { kind: 'console' }, string[]>();
  let skipped = 0;
  try {
    for (const block of page.blocks) {
      if (block.kind === 'file') {
        mkdirSync(dirname(join(copy.dir, block.path)), { recursive: true });
        writeFileSync(join(copy.dir, block.path), block.text);
        continue;
      }
      if (block.kind === 'patch') {
        const target = join(copy.dir, block.path);
        const patched = applyPatch(existsSync(target) ? readFileSync(target, 'utf8') : '', block.hunks);
        if (patched === false) {
          failures.push(`${path}:${block.line}: the patch does not apply to ${block.path}`);
          break;
        }
        writeFileSync(target, patched);
        continue;
      }
      if (block.server && !database) {
        skipped++;
        continue;
      }
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${copy.binDir}:${process.env.PATH ?? ''}`, NO_COLOR: '1', FORCE_COLOR: '0' };
      delete env.DATABASE_URL;
      delete env.KEIKAKU_NOW;
      if (database) env.DATABASE_URL = database.url;
      const rel = `${relative(projectRoot, copy.dir)}/`;
      const outputs = (await runCommands(block.commands.map((c) => c.command), copy.dir, env)).map((o) => {
        const shown = o.split(copy.dir).join(SHOWN_PROJECT).split(rel).join('');
        return database ? shown.split(database.name).join(SHOWN_DATABASE) : shown;
      });
      block.commands.forEach((c, i) => {
        const expected = mask(c.expected, ctx);
        const actual = mask(outputs[i]!, ctx);
        if (!outputMatches(expected, actual)) {
          recorded.set(block, outputs);
          failures.push(`${path}:${block.line}: $ ${c.command}\n--- expected (masked)\n${expected}\n--- actual (masked)\n${actual}`);
        }
      });
    }
  } finally {
    if (database) await dropDatabase(database.name);
    rmSync(copy.dir, { recursive: true, force: true });
    rmSync(copy.binDir, { recursive: true, force: true });
  }
  if (RECORD && recorded.size > 0) {
    let text = readFileSync(join(projectRoot, path), 'utf8');
    for (const b of [...recorded.keys()].sort((x, y) => y.line - x.line)) text = rewriteBlock(text, b, recorded.get(b)!);
    writeFileSync(join(projectRoot, path), text);
  }
  return { failures: RECORD ? [] : failures, skipped };
};

describe('the examples of README.md and docs/', () => {
  let skipServer: string | undefined;

  beforeAll(async () => {
    ensureBuilt();
    if (!pages.some((p) => p.page.blocks.some((b) => b.kind === 'console' && b.server))) return;
    const problem = await serverProblem();
    if (problem !== undefined && !serverRequired()) skipServer = `no PostgreSQL server (${problem})`;
  });

  for (const { path, page } of pages) {
    const commands = page.blocks.reduce((n, b) => n + (b.kind === 'console' ? b.commands.length : 0), 0);
    it.concurrent(`${path} (${commands} command(s))`, async () => {
      const { failures, skipped } = await slot(() => runPage(path, page, skipServer));
      if (skipped > 0) console.warn(`${path}: ${skipped} console server block(s) skipped: ${skipServer}`);
      expect(failures.join('\n\n'), `examples of ${path} whose output differs`).toBe('');
    }, 900_000);
  }
});

describe('the examples test itself', () => {
  it.skipIf(Boolean(process.env.KEIKAKU_DOCS_PAGES))('runs the README and at least one page of docs/', () => {
    expect(pages.map((p) => p.path)).toContain('README.md');
    expect(pages.some((p) => p.path.startsWith('docs/'))).toBe(true);
  });
});
