#!/usr/bin/env node
/**
 * `pull` over the desired schema of every loadable case of the shared corpus, on the local server: load the SQL
 * into a scratch database, pull it into schema/*.ts, load those files in a shadow on the same server and plan
 * against the database; the plan must be empty. Prints the pass count and the failures grouped by cause.
 *
 *   node test/pull/corpus-report.mjs [--every N] [--jobs 3] [--json FILE] [--server URL]
 *
 * Cases whose desired SQL is the same (with the same setup and roles) are judged once and counted for each.
 * Needs the server (KEIKAKU_TEST_SERVER_URL, or postgres@127.0.0.1:5432). Takes a few minutes.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { arg, reportServer } from '../support/report-args.mjs';

register();
const root = fileURLToPath(new URL('../..', import.meta.url));
const { loadCorpus } = await import(join(root, 'test/support/corpus.ts'));
const { judgeCase, caseDir, tagDir } = await import(join(root, 'test/pull/corpus-judge.ts'));
// A directory of this run's own: two reports at once (one per server) must not remove each other's cases.
const TAG = `report-${process.pid}`;

const every = Number(arg('--every', '1'));
const server = reportServer();
const cases = loadCorpus().filter((_, i) => i % every === 0);

const started = Date.now();
const concurrency = Number(arg('--jobs', '3'));
const byText = new Map();
const order = [];
for (const [i, c] of cases.entries()) {
  const k = JSON.stringify([c.setup, c.desired, c.roles]);
  if (!byText.has(k)) {
    byText.set(k, null);
    order.push({ k, c, i });
  }
}
let next = 0;
let done = 0;
const worker = async () => {
  while (next < order.length) {
    const { k, c, i } = order[next++];
    const dir = caseDir(TAG, `${i}`);
    let v;
    try {
      v = await judgeCase(server, c, dir);
    } catch (e) {
      v = { kind: 'fail', cause: 'judge threw', detail: String(e?.message ?? e).split('\n')[0], notes: [] };
    }
    rmSync(dir, { recursive: true, force: true });
    byText.set(k, v);
    done++;
    if (v.kind === 'fail') process.stderr.write(`FAIL ${c.id}: ${v.cause}: ${v.detail}\n`);
    if (done % 25 === 0) process.stderr.write(`${done}/${order.length} distinct schemas judged (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
const verdicts = cases.map((c) => ({ id: c.id, ...byText.get(JSON.stringify([c.setup, c.desired, c.roles])) }));
rmSync(tagDir(TAG), { recursive: true, force: true });

const loadable = verdicts.filter((v) => v.kind !== 'unloadable');
const passed = loadable.filter((v) => v.kind === 'pass');
const failures = loadable.filter((v) => v.kind === 'fail');
const byCause = new Map();
for (const f of failures) (byCause.get(f.cause) ?? byCause.set(f.cause, []).get(f.cause)).push(f);
const pct = loadable.length ? ((100 * passed.length) / loadable.length).toFixed(1) : '0';
const lines = [
  `pull corpus report: ${passed.length}/${loadable.length} loadable cases pass (${pct}%); ${verdicts.length - loadable.length} of ${verdicts.length} cases not loadable on this server; ${byText.size} distinct schemas judged in ${((Date.now() - started) / 1000).toFixed(0)} s`,
];
for (const [cause, fs] of [...byCause].sort((a, b) => b[1].length - a[1].length)) {
  lines.push(`\n${cause}: ${fs.length}`);
  for (const f of fs) lines.push(`  ${f.id}: ${f.detail}${f.notes?.length ? `\n    note: ${f.notes.join('\n    note: ')}` : ''}`);
}
console.log(lines.join('\n'));
const json = arg('--json', undefined);
if (json) writeFileSync(json, `${JSON.stringify({ passed: passed.length, loadable: loadable.length, total: verdicts.length, verdicts }, null, 2)}\n`);
process.exitCode = loadable.length && passed.length / loadable.length >= 0.95 ? 0 : 2;
