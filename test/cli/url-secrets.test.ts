/**
 * A password in a database URL never reaches output: every command that takes a URL, run as the real CLI with each
 * of its formats, on URLs of every shape (valid or malformed), prints and writes nothing that holds the password.
 * Hosts are 127.0.0.1 on a closed port or a socket directory that does not exist, so each run fails fast.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { maskUrl, parsePgUrl } from '../../src/db/url.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';

/** A port nothing listens on: the connection is refused at once. */
const CLOSED = 1;

/** URL shapes, from the secret: each a way users write (or mistype) a connection string. */
const SHAPES: Record<string, (secret: string) => string> = {
  valid: (s) => `postgres://app:${s}@127.0.0.1:${CLOSED}/x`,
  postgresql: (s) => `postgresql://app:${s}@127.0.0.1:${CLOSED}/x`,
  noScheme: (s) => `app:${s}@127.0.0.1:${CLOSED}/x`,
  noColon: (s) => `postgres//app:${s}@127.0.0.1:${CLOSED}/x`,
  oneSlash: (s) => `postgres:/app:${s}@127.0.0.1:${CLOSED}/x`,
  percentEncoded: (s) => `postgres://app:${encodeURIComponent(`${s}@/:?#% `)}@127.0.0.1:${CLOSED}/x`,
  unencodedSpecials: (s) => `postgres://app:${s}/@#?@127.0.0.1:${CLOSED}/x`,
  queryPassword: (s) => `postgres://app@127.0.0.1:${CLOSED}/x?sslmode=disable&password=${s}`,
  socketHost: (s) => `postgres://app:${s}@%2Ftmp%2Fkeikaku-no-such-dir/x`,
  socketParam: (s) => `postgres://app:${s}@/x?host=/tmp/keikaku-no-such-dir`,
  ipv6: (s) => `postgres://app:${s}@[::1]:${CLOSED}/x`,
  badPort: (s) => `postgres://app:${s}@127.0.0.1:99999/x`,
  wordPort: (s) => `postgres://app:${s}@127.0.0.1:port/x`,
  conninfo: (s) => `host=127.0.0.1 port=${CLOSED} user=app password=${s} dbname=x`,
  conninfoQuoted: (s) => `host=127.0.0.1 password='${s} x' dbname=x`,
};

/**
 * With a server: a URL that connects (trust authentication ignores the password) to a scratch database, so that
 * the reports of commands that succeed are searched too.
 */
const server = (await backends()).find((b) => b.name === 'server');
if (!server) console.warn('url-secrets.test.ts: no PostgreSQL server; only URLs that cannot connect are tried');
let scratch: ScratchDatabase | undefined;
beforeAll(async () => {
  if (!server) return;
  scratch = await createScratchDatabase(server.serverUrl!);
  const { target } = parsePgUrl(scratch.url);
  SHAPES.reachable = (s) => `postgres://${target.user}:${s}@127.0.0.1:${target.port}/${target.database}?sslmode=disable`;
});
afterAll(async () => {
  await scratch?.drop();
});

type Via = 'flag' | 'env' | 'dotenv';
interface Command {
  readonly args: (url: string) => string[];
  /** How the URL reaches the command; `flag` puts it in args. */
  readonly via: Via;
}

const FORMATS_RUN = ['text', 'json'] as const;
const COMMANDS: Record<string, Command> = {
  ...Object.fromEntries(
    FORMATS_RUN.flatMap((f) => [
      [`apply ${f}`, { via: 'flag', args: (u) => ['apply', '--database-url', u, '--format', f] }],
      [`down ${f}`, { via: 'flag', args: (u) => ['down', '--database-url', u, '--format', f] }],
      [`status ${f}`, { via: 'flag', args: (u) => ['status', '--database-url', u, '--format', f] }],
      [`pull ${f}`, { via: 'flag', args: (u) => ['pull', '--database-url', u, '--format', f] }],
      [`archive prune ${f}`, { via: 'flag', args: (u) => ['archive', 'prune', '--older-than', '1d', '--database-url', u, '--format', f] }],
      [`generate --from-db ${f}`, { via: 'flag', args: (u) => ['generate', 'x', '--from-db', u, '--format', f] }],
      [`diff --from ${f}`, { via: 'flag', args: (u) => ['diff', '--from', u, '--to', 'schema', '--out', 'out', '--format', f] }],
      [`diff --to ${f}`, { via: 'flag', args: (u) => ['diff', '--from', 'schema', '--to', u, '--out', 'out', '--format', f] }],
      [`verify --shadow-url ${f}`, { via: 'flag', args: (u) => ['verify', '--shadow-url', u, '--format', f] }],
    ]),
  ),
  ...Object.fromEntries(
    (['text', 'json', 'md', 'html'] as const).map((f) => [`plan --from-db ${f}`, { via: 'flag', args: (u: string) => ['plan', '--from-db', u, '--format', f] }]),
  ),
  ...Object.fromEntries(
    (['text', 'json', 'github', 'sarif'] as const).map((f) => [
      `check ${f}`,
      { via: 'flag', args: (u: string) => ['check', '--database-url', u, '--no-lint', '--format', f] },
    ]),
  ),
  'env mark': { via: 'flag', args: (u) => ['env', 'mark', 'production', '--database-url', u, '--format', 'json'] },
  'env show': { via: 'flag', args: (u) => ['env', 'show', '--database-url', u] },
  'apply (DATABASE_URL)': { via: 'env', args: () => ['apply'] },
  'status (.env)': { via: 'dotenv', args: () => ['status', '--format', 'json'] },
};

const project = mkdtempSync(join(tmpdir(), 'keikaku-secrets-'));
mkdirSync(join(project, 'schema'));
mkdirSync(join(project, 'generated'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Every file under `dir` that holds one of `needles`. */
const filesHolding = (dir: string, needles: readonly string[]): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesHolding(path, needles);
    const text = readFileSync(path, 'latin1');
    return needles.some((n) => text.includes(n)) ? [path] : [];
  });

const run = async (command: Command, url: string) => {
  const saved = process.env.DATABASE_URL;
  if (command.via === 'env') process.env.DATABASE_URL = url;
  else delete process.env.DATABASE_URL;
  if (command.via === 'dotenv') writeFileSync(join(project, '.env'), `DATABASE_URL=${url}\n`);
  try {
    return await runCliIn(project, ...command.args(url));
  } finally {
    rmSync(join(project, '.env'), { force: true });
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
};

/** Secrets of letters and digits (so that each shape above stays what it says), long enough to be unmistakable. */
const secrets = fc.stringMatching(/^[A-Za-z0-9]{8,14}$/).map((s) => `Pw${s}`);

describe('no command prints or writes the password of a URL', () => {
  it('masks every shape on its own', () => {
    fc.assert(
      fc.property(secrets, fc.constantFrom(...Object.keys(SHAPES)), (secret, shape) => {
        const masked = maskUrl(SHAPES[shape]!(secret));
        expect(masked).not.toContain(secret);
        expect(masked).toContain('****');
      }),
      { numRuns: 200 },
    );
  });

  it('every command, format and shape, as the real CLI', { timeout: 600_000 }, async () => {
    const seen = new Set<string>();
    const shapes = Object.keys(SHAPES);
    await fc.assert(
      fc.asyncProperty(secrets, fc.constantFrom(...shapes), fc.constantFrom(...Object.keys(COMMANDS)), async (secret, shape, name) => {
        seen.add(name);
        const url = SHAPES[shape]!(secret);
        const r = await run(COMMANDS[name]!, url);
        const needles = [secret, encodeURIComponent(secret)];
        const printed = `${r.stdout}\n${r.stderr}`;
        for (const n of needles) expect(printed, `${name} with ${shape} printed the password`).not.toContain(n);
        expect(filesHolding(project, needles), `${name} with ${shape} wrote the password`).toEqual([]);
        // Each of these runs fails but on the reachable database (nothing listens there), and says why.
        if (shape !== 'reachable') expect(r.code, `${name} with ${shape}: ${printed}`).not.toBe(0);
        expect(r.stderr + r.stdout).toMatch(/\S/);
      }),
      // Every command once at least (the first runs), then random pairs; a few dozen in all.
      {
        numRuns: Object.keys(COMMANDS).length + 10,
        // With a server, every command runs once on the reachable database, so that its successful report is searched.
        examples: Object.keys(COMMANDS).map((name, i) => ['PwFixedExample1', SHAPES.reachable ? 'reachable' : shapes[i % shapes.length]!, name]),
      },
    );
    expect([...seen].sort()).toEqual(Object.keys(COMMANDS).sort());
  });
});
