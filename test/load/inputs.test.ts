/**
 * What an evaluation read, recorded for the caches of the config and of schema/ (`src/load/inputs.ts`): the
 * variables read through `process.env` (and `process.env` itself given back as it was, also after a throw and when
 * recordings overlap), the content of the files, and no value of a variable in what is written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { holdsEnvValue, inputsUnchanged, recordingEnv, stampInputs, withImports } from '../../src/load/inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'keikaku-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recordingEnv', () => {
  it('records the names read, set or not, and gives process.env back', async () => {
    const real = process.env;
    process.env.INPUTS_TEST_A = 'alpha';
    const { value, env } = await recordingEnv(async () => `${process.env.INPUTS_TEST_A}/${'INPUTS_TEST_B' in process.env}`);
    expect(value).toBe('alpha/false');
    expect(env.get('INPUTS_TEST_A')).toBe('alpha');
    expect(env.has('INPUTS_TEST_B')).toBe(true);
    expect(env.get('INPUTS_TEST_B')).toBeUndefined();
    expect(process.env).toBe(real);
    delete process.env.INPUTS_TEST_A;
  });

  it('gives process.env back after a throw, and after overlapping recordings', async () => {
    const real = process.env;
    await expect(recordingEnv(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(process.env).toBe(real);
    let release!: () => void;
    const outer = recordingEnv(async () => {
      await new Promise<void>((r) => (release = r));
      return process.env.INPUTS_TEST_OUTER;
    });
    const inner = await recordingEnv(async () => process.env.INPUTS_TEST_INNER);
    expect(process.env).not.toBe(real);
    release();
    const o = await outer;
    expect(process.env).toBe(real);
    expect(inner.env.has('INPUTS_TEST_INNER')).toBe(true);
    expect(o.env.has('INPUTS_TEST_OUTER') && o.env.has('INPUTS_TEST_INNER')).toBe(true);
  });

  it('counts listing the variables as reading all of them', async () => {
    process.env.INPUTS_TEST_LISTED = 'x';
    const { env } = await recordingEnv(async () => Object.keys(process.env).length);
    expect(env.has('INPUTS_TEST_LISTED')).toBe(true);
    delete process.env.INPUTS_TEST_LISTED;
  });
});

describe('stampInputs and inputsUnchanged', () => {
  it('see a change of content, of a variable, and a file that is gone', async () => {
    const f = join(dir, 'a.ts');
    writeFileSync(f, 'export const n = 40;\n');
    process.env.INPUTS_TEST_V = 'one';
    const stamp = stampInputs([f], ['INPUTS_TEST_V'])!;
    expect(inputsUnchanged(stamp)).toBe(true);
    writeFileSync(f, 'export const n = 80;\n');
    expect(inputsUnchanged(stamp)).toBe(false);
    writeFileSync(f, 'export const n = 40;\n');
    expect(inputsUnchanged(stamp)).toBe(true);
    process.env.INPUTS_TEST_V = 'two';
    expect(inputsUnchanged(stamp)).toBe(false);
    delete process.env.INPUTS_TEST_V;
    expect(inputsUnchanged(stamp)).toBe(false);
    expect(inputsUnchanged(stampInputs([f], ['INPUTS_TEST_V']))).toBe(true);
    rmSync(f);
    expect(inputsUnchanged(stamp)).toBe(false);
    expect(stampInputs([f], [])).toBeNull();
    expect(inputsUnchanged(null)).toBe(false);
  });

  it('withImports refuses files read that were not hashed before', () => {
    const [a, b] = [join(dir, 'b1.ts'), join(dir, 'b2.ts')];
    writeFileSync(a, '1');
    writeFileSync(b, '2');
    const before = stampInputs([a], [])!;
    expect(withImports(before, [a, b], [], [])).toBeNull();
    const both = withImports(before, [a], [b, a], ['INPUTS_TEST_W'])!;
    expect(both.files.map(([f]) => f)).toEqual([a, b].sort());
    expect(both.env).toEqual(['INPUTS_TEST_W']);
  });
});

describe('holdsEnvValue', () => {
  it('finds any value of six characters or more in the JSON of a value that holds it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6 }), fc.string(), fc.string(), (secret, before, after) => {
        const text = JSON.stringify({ url: `${before}${secret}${after}` });
        return holdsEnvValue(text, new Map([['S', secret]]));
      }),
    );
  });

  it('ignores unset variables and short values', () => {
    expect(holdsEnvValue('{"a":"on"}', new Map([['X', 'on'], ['Y', undefined]]))).toBe(false);
  });
});
