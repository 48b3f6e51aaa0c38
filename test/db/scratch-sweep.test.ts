/**
 * Stale scratch databases: which names keikaku recognises as its own, which of those count as left over, and on
 * the server that the sweep drops only those — never one with a session, never a name of another pattern.
 */
import { describe, expect, it } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { hostMarker, isStale, parseScratchName, scratchName, STALE_AFTER_MS } from '../../src/db/scratch-name.js';
import { dropStaleScratchDatabases } from '../../src/db/scratch-sweep.js';
import { backends, serverRequired } from '../support/backends.js';

const server = (await backends()).find((b) => b.name === 'server');

describe('scratch database names', () => {
  it('say which machine, process and second made them, and nothing else parses', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const name = scratchName(now, 4242, 'abc123');
    expect(name).toMatch(/^keikaku_shadow_abc123_4242_1796551200_[0-9a-f]{6}$/);
    expect(Buffer.byteLength(scratchName(now, 4_194_304, hostMarker()))).toBeLessThanOrEqual(63);
    expect(parseScratchName(name)).toEqual({ host: 'abc123', pid: 4242, createdAt: now });
    for (const other of ['keikaku_shadow_3f9a1c0b7d2e', 'keikaku_shadow_abc123_4242_1796551200', 'app', `${name}_x`, `x${name}`])
      expect(parseScratchName(other), other).toBeNull();
  });

  it('are stale when their process is gone on this machine, or past the bound anywhere', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const here = { now, host: 'abc123', alive: (pid: number) => pid === 1 };
    const made = (host: string, pid: number, ageMs: number) => ({ host, pid, createdAt: new Date(now.getTime() - ageMs) });
    expect(isStale(made('abc123', 1, 1000), here)).toBe(false); // its process runs
    expect(isStale(made('abc123', 2, 1000), here)).toBe(true); // its process is gone
    expect(isStale(made('ffffff', 2, 1000), here)).toBe(false); // another machine: its pid means nothing here
    expect(isStale(made('ffffff', 2, STALE_AFTER_MS + 1000), here)).toBe(true);
    expect(isStale(made('abc123', 1, STALE_AFTER_MS + 1000), here)).toBe(true); // a reused pid
  });
});

describe.skipIf(!server && !serverRequired())('the sweep on the server', () => {
  it('drops stale scratch databases with no session, keeps one in use, a live one, and every other name', async () => {
    const admin = await connectPg(server!.serverUrl!);
    const gone = 'abc' + String(process.pid).slice(-3); // a host marker no machine here has
    const host = hostMarker();
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    const names = {
      stale: scratchName(old, 101, gone),
      inUse: scratchName(old, 102, gone),
      alive: scratchName(new Date(), process.pid, host),
      foreign: `keikaku_shadow_${process.pid}_foreign`,
    };
    const made: string[] = [];
    try {
      for (const n of Object.values(names)) {
        await admin.exec(`CREATE DATABASE ${n} TEMPLATE template0`);
        made.push(n);
      }
      const session = await connectPg(server!.serverUrl!.replace(/\/postgres$/, `/${names.inUse}`));
      try {
        const dropped = await dropStaleScratchDatabases(admin);
        // Test files run in parallel and every scratch database made sweeps first: another process's sweep may have
        // dropped the stale one before ours. Of this test's databases, ours may drop the stale one and nothing else.
        expect(dropped.filter((n) => Object.values(names).includes(n))).toEqual(dropped.includes(names.stale) ? [names.stale] : []);
        const left = (await admin.query<{ datname: string }>('SELECT datname FROM pg_database')).map((r) => r.datname);
        expect(left).not.toContain(names.stale);
        expect(left).toContain(names.inUse);
        expect(left).toContain(names.alive);
        expect(left).toContain(names.foreign);
      } finally {
        await session.close();
      }
    } finally {
      for (const n of made) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      await admin.close();
    }
  });
});
