/**
 * `check` and `verify` over a fleet (docs/fleets.md), on the example app's history and three databases of the
 * server: the repository is checked (verify: replayed) once, then each database: up to date, pending, drifted
 * (check); a journal that ran other files than the directory's (verify). Databases dropped after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../src/config/index.js';
import { connectPg } from '../../src/db/pg.js';
import type { Db } from '../../src/db/types.js';
import { parsePgUrl } from '../../src/db/url.js';
import { exampleProject, removeProjects } from '../check/project.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';

const server = (await backends()).find((b) => b.name === 'server');
if (!server) console.warn('test/fleet/fleet-check.test.ts: skipped, no PostgreSQL server (a fleet needs real databases)');

const SECRET = 'Check-Pw-0b7e55';

describe.runIf(server)('fleet check and verify (server)', () => {
  let admin: Db;
  let config: ResolvedConfig;
  const names = [0, 1, 2].map((i) => `keikaku_fleetcheck_${process.pid}_${i}`);
  let url: (db: string) => string;
  const outputs: string[] = [];
  const cli = async (...args: string[]) => {
    const r = await runCliIn(config.root, ...args);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const run = async (db: string, sql: string) => {
    const c = await connectPg(url(db));
    try {
      await c.exec(sql);
    } finally {
      await c.close();
    }
  };

  beforeAll(async () => {
    ensureBuilt();
    admin = await connectPg(server!.serverUrl!);
    const t = parsePgUrl(server!.serverUrl!).target;
    url = (db) => `postgres://${encodeURIComponent(t.user)}:${SECRET}@${t.host}:${t.port}/${db}`;
    for (const n of names) {
      await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      await admin.exec(`CREATE DATABASE ${n}`);
    }
    config = await exampleProject();
    writeFileSync(join(config.root, 'all.txt'), names.map(url).join('\n'));
    writeFileSync(join(config.root, 'applied.txt'), [names[0]!, names[2]!].map(url).join('\n'));
    // Two of them at the head of the history; the third left empty.
    const applied = await cli('apply', '--targets', 'applied.txt', '--parallel', '2');
    if (applied.code !== 0) throw new Error(applied.stdout + applied.stderr);
    // The third drifts: a column nobody declared.
    await run(names[2]!, 'ALTER TABLE public.offices ADD COLUMN by_hand integer');
  }, 60_000);

  afterAll(async () => {
    if (admin) {
      for (const n of names) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    }
    removeProjects();
  });

  it('check: the repository once, then each database up to date, pending or drifted; exit 2', async () => {
    const r = await cli('check', '--targets', 'all.txt', '--parallel', '3', '--no-lint', '--format', 'json');
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.history).toEqual({ exitCode: 0, messages: [] });
    expect(report.targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'pending', 'drifted']);
    const head = report.targets[0].to;
    expect(head).toMatch(/^\d{14}_/);
    expect(report.targets[0]).toMatchObject({ from: head, error: null });
    expect(report.targets[1].from).toBeNull();
    expect(report.targets[2].findings.join('\n')).toMatch(/by_hand/);
    const text = await cli('check', '--targets', 'all.txt', '--parallel', '3', '--no-lint');
    expect(text.stdout).toMatch(/check over 3 databases: 1 up-to-date, 1 pending, 1 drifted/);
  }, 60_000);

  it('verify: replays the history once, then holds each journal against its files', async () => {
    const ok = await cli('verify', '--targets', 'all.txt', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'pending', 'up-to-date']);
    // A database whose journal ran another version of a file than the directory holds: apply would refuse it.
    await run(names[0]!, `UPDATE keikaku.journal SET checksum = repeat('0', 64) WHERE seq = (SELECT min(seq) FROM keikaku.journal)`);
    const bad = await cli('verify', '--targets', 'all.txt');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/failed:\n {2}postgres:\/\/[^\n]*\/keikaku_fleetcheck_\d+_0: apply would refuse: CHECKSUM/);
  }, 60_000);

  it('printed no password', () => {
    expect(outputs.join('\n')).not.toContain(SECRET);
  });
});
