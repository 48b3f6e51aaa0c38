import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownSecrets, redact } from '../../src/cli/redact.js';
import { runCliIn } from '../support/cli.js';

describe('the last-line scrub of known passwords', () => {
  it('collects passwords from arguments, DATABASE_URL, PGPASSWORD, .env and the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keikaku-redact-'));
    try {
      writeFileSync(join(dir, '.env'), 'DATABASE_URL=postgres://a:fromDotEnv@h/x\n');
      writeFileSync(join(dir, 'keikaku.config.ts'), "export default { environments: { p: { url: 'postgres://a:fromConfig@h/x' }, q: { url: 'env:PROD_URL' } } };\n");
      const secrets = knownSecrets(
        ['apply', '--database-url=postgres://a:fromArg%2F1@h/x', 'host=h password=fromConninfo'],
        { DATABASE_URL: 'postgres://a:fromEnv@h/x', PGPASSWORD: 'fromPgPassword', PROD_URL: 'postgres://a:fromVar@h/x' },
        dir,
      );
      for (const s of ['fromDotEnv', 'fromConfig', 'fromArg%2F1', 'fromArg/1', 'fromConninfo', 'fromEnv', 'fromPgPassword', 'fromVar'])
        expect(secrets).toContain(s);
      expect(redact('x fromArg/1 y "fromEnv"', secrets)).toBe('x **** y "****"');
      // A password the URL shows anyway (as its user name here) is left to masking at the source.
      expect(knownSecrets(['postgres://postgres:postgres@h/x'], {}, dir)).not.toContain('postgres');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scrubs a password that an error from loading the config echoes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keikaku-redact-'));
    try {
      writeFileSync(join(dir, 'keikaku.config.ts'), "const url = 'postgres://app:Leaky9Secret@127.0.0.1:1/x';\nthrow new Error(`cannot use ${url}`);\nexport default {};\n");
      const r = await runCliIn(dir, 'status');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cannot use postgres://app:****@127.0.0.1:1/x');
      expect(r.stdout + r.stderr).not.toContain('Leaky9Secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
