/**
 * Small migration histories written to temp directories, and keikaku run as a separate process (for tests that
 * kill it, race several of it, or cut its connection).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readHistory, renderSum, SUM_FILE } from '../../src/load/migrations.js';
import { PHASE_NUMBER } from '../../src/emit/migration.js';
import type { PhaseName } from '../../src/model/plan.js';
import { DEFAULT_TIMEOUTS, type RunRequest, type Timeouts } from '../../src/apply/types.js';
import { projectRoot } from '../support/paths.js';

export interface TinyPhase {
  readonly name: PhaseName;
  readonly up: string;
  readonly down?: string;
}

export interface TinyMigration {
  readonly id: string;
  readonly phases: readonly TinyPhase[];
  /** Default: the previous migration of the list. */
  readonly parent?: string | null;
}

const made: string[] = [];

export const tempDir = (prefix = 'kk-apply-'): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

export const removeTempDirs = () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** Writes `generated/` (migration folders, plan.json, phase files, migrations.sum) under `root`. */
export const writeMigrations = (root: string, migrations: readonly TinyMigration[]): string => {
  const generated = join(root, 'generated');
  migrations.forEach((m, i) => {
    const dir = join(generated, 'migrations', m.id);
    mkdirSync(dir, { recursive: true });
    const parent = m.parent !== undefined ? m.parent : i === 0 ? null : migrations[i - 1]!.id;
    const plan = { format: 'keikaku-plan/1', id: m.id, parent, renames: [], strategy: 'phased', phases: m.phases.map((p) => ({ name: p.name, steps: [] })) };
    writeFileSync(join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    for (const p of m.phases) {
      writeFileSync(join(dir, `${PHASE_NUMBER[p.name]}_${p.name}.up.sql`), p.up);
      if (p.down !== undefined) writeFileSync(join(dir, `${PHASE_NUMBER[p.name]}_${p.name}.down.sql`), p.down);
    }
  });
  resum(generated);
  return generated;
};

/** Rewrites migrations.sum for the files as they are now. */
export const resum = (generated: string) => writeFileSync(join(generated, SUM_FILE), renderSum(readHistory(generated).migrations));

/** A copy of the example app's generated/ in a temp project. */
export const exampleGenerated = (): string => {
  const root = tempDir('kk-apply-example-');
  cpSync(join(projectRoot, 'generated'), join(root, 'generated'), { recursive: true });
  return join(root, 'generated');
};

/** A transaction step in keikaku's own layout. */
export const tx = (...statements: string[]) => `BEGIN;\n\n${statements.map((s) => `${s};`).join('\n')}\n\nCOMMIT;\n`;

export const FAST: Timeouts = { ...DEFAULT_TIMEOUTS, lockTimeoutMs: 300, retries: 1, backoffMs: 50 };

export const upRequest = (generated: string, extra: Partial<RunRequest> = {}): RunRequest => ({
  history: readHistory(generated),
  direction: 'up',
  timeouts: FAST,
  by: 'test',
  ...extra,
});

export interface Proc {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  readonly out: () => string;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** Resolves when stdout contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

const entry = join(projectRoot, 'test/apply/cli-entry.ts');
/** tsx's loader by path: the child runs in a temp directory, where the bare name `tsx` would not resolve. */
const tsxLoader = pathToFileURL(join(projectRoot, 'node_modules/tsx/dist/loader.mjs')).href;

/** `keikaku …` as its own process, from the sources (tsx), in `cwd`. */
export const keikaku = (cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc => {
  const child = spawn(process.execPath, ['--import', tsxLoader, entry, ...args], {
    cwd,
    env: { ...process.env, CI: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of [...waiters]) if (w.test(stdout)) w.resolve();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    child,
    out: () => stdout,
    done,
    waitFor(text, timeoutMs = 30_000) {
      const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
      if (test(stdout)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        const w = {
          test,
          resolve: () => {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(w), 1);
            resolve();
          },
        };
        waiters.push(w);
        void done.then(() => {
          if (waiters.includes(w)) {
            clearTimeout(timer);
            reject(new Error(`process ended before printing ${String(text)}; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        });
      });
    },
  };
};
