/**
 * `keikaku rehearse` from the command line (JSON report, exit codes, passwords), and the provider commands of
 * keikaku.config.ts (run by the shell; `drop` always runs once `create` has, on failure too). On the test server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../src/api.js';
import { connectPg } from '../../src/db/pg.js';
import { parsePgUrl } from '../../src/db/url.js';
import { removeTempDirs } from '../apply/support.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { change, fingerprint, makeSource, scratchDatabases } from './support.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');
const serverUrl = server?.serverUrl;

const withPassword = (url: string, password: string) => url.replace(/^postgres:\/\/([^@:]+)@/, `postgres://$1:${password}@`);

/** keikaku.config.ts whose rehearse commands copy the source by TEMPLATE with psql, logging each command to `log`. */
const providerConfig = (server: string, source: string, url = 'echo "$COPY_URL"') => {
  const psql = (sql: string) => `psql -X -q -v ON_ERROR_STOP=1 -d "${server}" -c '${sql}'`;
  const commands = {
    create: `echo "create $KEIKAKU_REHEARSAL_NAME" >> log && ${psql(`CREATE DATABASE "'$KEIKAKU_REHEARSAL_NAME'" TEMPLATE "${source}"`)}`,
    url: `COPY_URL="${server.replace(/\/[^/]*$/, '')}/$KEIKAKU_REHEARSAL_NAME"; ${url}`,
    drop: `echo "drop $KEIKAKU_REHEARSAL_NAME" >> log && ${psql(`DROP DATABASE IF EXISTS "'$KEIKAKU_REHEARSAL_NAME'" WITH (FORCE)`)}`,
  };
  return `export default { rehearse: ${JSON.stringify(commands)} };\n`;
};

const databaseExists = async (name: string): Promise<boolean> => {
  const db = await connectPg(serverUrl!);
  try {
    return (await db.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).length > 0;
  } finally {
    await db.close();
  }
};

describe.skipIf(!serverUrl)(`rehearse (CLI, provider commands) on ${server?.title ?? 'a server (none reachable: skipped)'}`, () => {
  const url = serverUrl!;

  it('--format json: the steps as documented, the copy method, the source masked; exit 0; the password never printed', async () => {
    const source = await makeSource(url, [change(0)]);
    try {
      const secret = 'Sup3rS3cretPw';
      const r = await runCliIn(source.root, 'rehearse', '--database-url', withPassword(source.url, secret), '--format', 'json');
      expect(r.stderr).not.toContain(secret);
      expect(r.stdout).not.toContain(secret);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as Record<string, unknown> & { steps: Record<string, unknown>[] };
      expect(json.source).toBe(`postgres://postgres@${parsePgUrl(source.url).target.host}:${parsePgUrl(source.url).target.port}/${parsePgUrl(source.url).target.database}`);
      expect(json.copy).toMatchObject({ method: 'template', sampleRows: null });
      expect(json.steps).toHaveLength(2);
      for (const s of json.steps) {
        expect(s).toEqual(
          expect.objectContaining({
            migration: '20260102000000_change',
            phase: 'expand',
            description: expect.any(String),
            durationMs: expect.any(Number),
            maxLockWaitMs: expect.any(Number),
            failedStatements: 0,
            rewrote: expect.any(Boolean),
            forecastMs: expect.any(Number),
          }),
        );
        expect(s.rowsPerSecond === null || typeof s.rowsPerSecond === 'number').toBe(true);
        expect(typeof s.walBytes).toBe('number');
      }
      expect(json.steps.map((s) => s.rewrote)).toEqual([false, true]);
      expect(json.roundTrip).toMatchObject({ ok: true });
      expect(json.findings).toEqual([]);

      const text = await runCliIn(source.root, 'rehearse', '--database-url', withPassword(source.url, secret));
      expect(text.code).toBe(0);
      expect(`${text.stdout}${text.stderr}`).not.toContain(secret);
      expect(text.stdout).toMatch(/expand step 2: .*\n {2}\d+ ms \(forecast \d+ ms\); workload waited at most \d+ ms, 0 of \d+ statements failed; rewrote public\.child; WAL/);
      expect(text.stdout).toContain('Round trip: down');
      expect(text.stdout).toContain('Found nothing to stop for.');
    } finally {
      await source.drop();
    }
  });

  it('exit 3 when a step fails on the copy; exit 1 with one line (no stack, no password) when the source cannot be reached', async () => {
    const failing = { id: '20260102000000_fails', phases: [{ name: 'expand' as const, up: 'BEGIN;\nALTER TABLE child ALTER COLUMN parent_id SET NOT NULL;\nCOMMIT;\n' }] };
    const source = await makeSource(url, [failing]);
    try {
      const r = await runCliIn(source.root, 'rehearse', '--database-url', source.url);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/FAILED/);
      expect(r.stdout).toMatch(/a step failed: .*contains null values/);
      const gone = await runCliIn(source.root, 'rehearse', '--database-url', 'postgres://app:Hidden9Pw@127.0.0.1:1/x');
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/cannot connect to postgres:\/\/app@127\.0\.0\.1:1\/x/);
      expect(gone.stderr).not.toMatch(/Hidden9Pw|\n\s+at /);
    } finally {
      await source.drop();
    }
  });

  it('provider commands: create, url and drop run by the shell; the rehearsal runs on the copy they make; the source unchanged', async () => {
    const source = await makeSource(url, [change(0)], '');
    const name = parsePgUrl(source.url).target.database;
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(source.root, 'keikaku.config.ts'), providerConfig(url, name));
      const before = await fingerprint(source);
      const r = await rehearse({ root: source.root, databaseUrl: source.url, copy: 'provider' });
      expect(r.copy.method).toBe('provider');
      expect(r.steps).toHaveLength(2);
      expect(r.roundTrip?.ok).toBe(true);
      const log = readFileSync(join(source.root, 'log'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(2);
      const made = log[0]!.replace(/^create /, '');
      expect(made).toMatch(/^keikaku_rehearsal_/);
      expect(log[1]).toBe(`drop ${made}`);
      expect(await databaseExists(made)).toBe(false);
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  });

  it('provider commands: a url command that fails is reported with its stderr, and drop still runs', async () => {
    const source = await makeSource(url, [change(0)], '');
    const name = parsePgUrl(source.url).target.database;
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(source.root, 'keikaku.config.ts'), providerConfig(url, name, 'echo "no branch today" >&2; exit 7'));
      await expect(rehearse({ root: source.root, databaseUrl: source.url, copy: 'provider' })).rejects.toThrow(
        /rehearse\.url in keikaku\.config\.ts \(`COPY_URL=.* …`\) failed \(exit 7\): no branch today/,
      );
      const log = readFileSync(join(source.root, 'log'), 'utf8').trim().split('\n');
      expect(log.map((l) => l.split(' ')[0])).toEqual(['create', 'drop']);
      expect(await databaseExists(log[0]!.split(' ')[1]!)).toBe(false);
      expect((await scratchDatabases(url)).filter((d) => d !== name)).toEqual([]);
    } finally {
      await source.drop();
      expect(existsSync(join(source.root, 'log'))).toBe(true);
    }
  });
});
