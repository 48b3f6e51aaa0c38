#!/usr/bin/env node
/**
 * Incremental normalization over the shared corpus's schema pairs, on the local server: each case's current and
 * desired SQL pulled into the DSL, the desired schema normalized in full and incrementally from the current one's
 * result (`incremental-judge.ts`). Prints how many pairs were spliced (and equal the full result), how many gave
 * up (a full normalization then runs), and every pair where the two differ — there must be none.
 *
 *   node test/load/incremental-corpus-report.mjs [--every N] [--jobs 3] [--json FILE] [--server URL]
 *
 * Needs the server (KEIKAKU_TEST_SERVER_URL, or postgres@127.0.0.1:5432). Takes several minutes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { arg, reportServer } from '../support/report-args.mjs';

register();
const root = fileURLToPath(new URL('../..', import.meta.url));
const { loadCorpus } = await import(join(root, 'test/support/corpus.ts'));
const { judgeIncremental } = await import(join(root, 'test/load/incremental-judge.ts'));

const every = Number(arg('--every', '1'));
const server = reportServer();
const cases = loadCorpus().filter((_, i) => i % every === 0);
const tmp = join(root, 'test', '.tmp-incremental-report');

const started = Date.now();
const verdicts = new Array(cases.length);
let next = 0;
let done = 0;
const worker = async () => {
  while (next < cases.length) {
    const i = next++;
    const c = cases[i];
    const dir = join(tmp, String(i));
    let v;
    try {
      v = await judgeIncremental(server, c, dir);
    } catch (e) {
      v = { kind: 'differs', detail: `judge threw: ${String(e?.message ?? e).split('\n')[0]}` };
    }
    rmSync(dir, { recursive: true, force: true });
    verdicts[i] = { id: c.id, ...v };
    done++;
    if (v.kind === 'differs') process.stderr.write(`DIFFERS ${c.id}: ${v.detail}\n`);
    if (done % 25 === 0) process.stderr.write(`${done}/${cases.length} pairs judged (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
};
await Promise.all(Array.from({ length: Number(arg('--jobs', '3')) }, worker));
rmSync(tmp, { recursive: true, force: true });

const of = (kind) => verdicts.filter((v) => v.kind === kind);
const spliced = of('spliced');
const created = spliced.reduce((n, v) => n + v.created, 0);
const tables = spliced.reduce((n, v) => n + v.tables, 0);
const reasons = new Map();
for (const v of [...of('gave-up'), ...of('unusable')]) reasons.set(`${v.kind}: ${v.reason.slice(0, 90)}`, (reasons.get(`${v.kind}: ${v.reason.slice(0, 90)}`) ?? 0) + 1);
const lines = [
  `incremental corpus report: ${cases.length} pairs; ${spliced.length} spliced and equal to the full normalization, ` +
    `${of('gave-up').length} gave up (full normalization instead), ${of('unusable').length} unusable, ${of('differs').length} DIFFER; ` +
    `spliced pairs created ${created} of ${tables} tables in the shadow; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ...[...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([r, n]) => `  ${n} × ${r}`),
  ...of('differs').map((v) => `  DIFFERS ${v.id}: ${v.detail}`),
];
console.log(lines.join('\n'));
const json = arg('--json', undefined);
if (json) writeFileSync(json, `${JSON.stringify({ verdicts }, null, 2)}\n`);
process.exitCode = of('differs').length === 0 ? 0 : 2;
