/**
 * The shapes of the command line, driven through the real CLI: `--no-rename X` as keikaku's own messages spell it,
 * array options taking one value per flag (never the positional after them), list options accepting both repeated
 * flags and commas, unknown commands (with a suggestion), and each command's `--help` listing only its exit codes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/commands/index.js';
import { ensureBuilt } from '../load/built.js';
import { runCli, runCliIn } from '../support/cli.js';
import { edited, emptyDir, project, removeProjects } from './tmp-project.js';

const V1 = {
  'people.ts': `import { integer, table, text } from 'keikaku';

export const people = table('people', { id: integer().primaryKey(), nickname: text() });
`,
};
/** `nickname` gone, `handle` new, same type: a drop and an add that look like a rename. */
const V2 = {
  'people.ts': `import { integer, table, text } from 'keikaku';

export const people = table('people', { id: integer().primaryKey(), handle: text() });
`,
};

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const KK_NOW = '2026-04-01T10:00:00Z';

describe('keikaku arguments', () => {
  it('--no-rename X, typed as the ambiguity message says, decides the ambiguity (not "Unknown argument")', { timeout: 600_000 }, async () => {
    const v1 = project(V1);
    process.env.KEIKAKU_NOW = KK_NOW;
    try {
      expect((await runCliIn(v1, 'generate', 'people')).code).toBe(0);
    } finally {
      delete process.env.KEIKAKU_NOW;
    }
    const v2 = edited(v1, V2);
    const ambiguous = await runCliIn(v2, 'plan');
    expect(ambiguous.code).toBe(3);
    const suggested = /--no-rename (\S+)/.exec(ambiguous.stderr);
    expect(suggested, ambiguous.stderr).not.toBeNull();
    const decided = await runCliIn(v2, 'plan', '--no-rename', suggested![1]!);
    expect(decided.stderr).toBe('');
    expect(decided.code).toBe(0);
    expect(decided.stdout).toContain('drop column public.people.nickname');
    expect(decided.stdout).toContain('add column public.people.handle');
    // The = form means the same.
    expect((await runCliIn(v2, 'plan', `--no-rename=${suggested![1]!}`)).stdout).toBe(decided.stdout);
    // Without a value it is an error, not a silent "false".
    const bare = await runCliIn(v2, 'plan', '--no-rename');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('--no-rename needs a value');
  });

  it('array options take one value per flag: generate --allow-hazards CODE name / --rename A=B name keep the name', { timeout: 600_000 }, async () => {
    const v1 = project(V1);
    const hazards = await runCliIn(v1, 'generate', '--allow-hazards', 'DELETES_DATA', 'first_people');
    expect(hazards.stderr).toBe('');
    expect(hazards.code).toBe(0);
    const v2 = edited(v1, V2);
    const renamed = await runCliIn(v2, 'generate', '--rename', 'public.people.nickname=handle', '--allow-hazards', 'BREAKS_OLD_CLIENTS', 'nickname_to_handle');
    expect(renamed.stderr).toBe('');
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain('rename column public.people.nickname to handle');
    const folders = readdirSync(join(v2, 'generated', 'migrations'));
    expect(folders.map((f) => f.replace(/^\d+_/, ''))).toEqual(['first_people', 'nickname_to_handle']);
    // A flag with no value is an error naming it.
    const missing = await runCliIn(v2, 'generate', 'x', '--allow-hazards');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('allow-hazards');
  });

  it('lint --allow and --allow-hazards have generate --allow-hazards\' shape: repeatable and comma-separated, one value each', async () => {
    const dir = emptyDir();
    // Two findings of two rules: CREATE INDEX without CONCURRENTLY, TRUNCATE.
    writeFileSync(join(dir, 'm.sql'), "SET lock_timeout = '2s';\nCREATE INDEX i ON t (a);\nTRUNCATE t;\n");
    const file = join(dir, 'm.sql');
    expect((await runCli('lint', file)).code).toBe(3);
    expect((await runCli('lint', '--allow', 'create-index-concurrently', file)).code).toBe(3);
    // Repeated: the file after the last flag is still a file.
    const repeated = await runCli('lint', '--allow', 'create-index-concurrently', '--allow', 'truncate', file);
    expect(repeated.stderr).toBe('');
    expect(repeated.code).toBe(0);
    expect((await runCli('lint', '--allow', 'create-index-concurrently,truncate', file)).code).toBe(0);
    expect((await runCli('lint', '--allow-hazards', 'BLOCKS_WRITES', '--allow-hazards', 'DELETES_DATA', file)).code).toBe(0);
    expect((await runCli('lint', '--allow-hazards', 'BLOCKS_WRITES,DELETES_DATA', file)).code).toBe(0);
    // A flag with no value is an error (it used to be an empty string, silently allowing nothing).
    const bare = await runCli('lint', file, '--allow');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('allow');
    // --help shows one shape for the three.
    const shape = (help: string, flag: string) => new RegExp(`${flag}\\s.*\\[array\\]`).test(help.replace(/\n\s{20,}/g, ' '));
    const lintHelp = (await runCli('lint', '--help')).stdout;
    expect(shape(lintHelp, '--allow ')).toBe(true);
    expect(shape(lintHelp, '--allow-hazards')).toBe(true);
    expect(shape((await runCli('generate', '--help')).stdout, '--allow-hazards')).toBe(true);
  });

  it('a mistyped command gets "did you mean", an unknown one is an error, and COMMAND --help of an unknown command is too', async () => {
    const typo = await runCli('aply');
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toBe('keikaku: unknown command "aply": did you mean `apply`? (keikaku --help lists the commands)\n');
    expect((await runCli('stauts')).stderr).toContain('did you mean `status`?');
    expect((await runCli('generat', 'x')).stderr).toContain('did you mean `generate`?');
    // An option's value before the command is not the command: the mistyped word is named, not "json".
    expect((await runCli('--format', 'json', 'aply')).stderr).toBe('keikaku: unknown command "aply": did you mean `apply`? (keikaku --help lists the commands)\n');
    expect((await runCli('--yes', 'aply')).stderr).toContain('unknown command "aply": did you mean `apply`?');
    const unknown = await runCli('migrate');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe('keikaku: unknown command "migrate" (keikaku --help lists the commands)\n');
    const help = await runCli('migrate', '--help');
    expect(help).toMatchObject({ code: 1, stdout: '' });
    expect(help.stderr).toContain('unknown command "migrate"');
    // The known ones still get their help.
    expect(await runCli('apply', '--help')).toMatchObject({ code: 0, stderr: '' });
  });

  it('the unknown word is named even after an option and its value; --help after it is an error too', async () => {
    const after = await runCli('--format', 'json', 'stauts');
    expect(after).toMatchObject({ code: 1, stdout: '' });
    expect(after.stderr).toBe('keikaku: unknown command "stauts": did you mean `status`? (keikaku --help lists the commands)\n');
    const help = await runCli('--help', 'frobnicate');
    expect(help).toMatchObject({ code: 1, stdout: '' });
    expect(help.stderr).toContain('unknown command "frobnicate"');
    expect(await runCli('frobnicate', '--version')).toMatchObject({ code: 1, stdout: '' });
  });

  it('completion prints a script that asks keikaku, and keikaku answers with commands and options', async () => {
    const script = await runCli('completion');
    expect(script).toMatchObject({ code: 0, stderr: '' });
    expect(script.stdout).toContain('keikaku --get-yargs-completions');
    const words = await runCli('--get-yargs-completions', 'keikaku', '');
    expect(words.code).toBe(0);
    expect(words.stdout.split('\n').filter(Boolean)).toEqual(expect.arrayContaining(['apply', 'status', 'completion']));
    const options = await runCli('--get-yargs-completions', 'keikaku', 'status', '--');
    expect(options.stdout.split('\n')).toEqual(expect.arrayContaining(['--database-url', '--format']));
  });

  it('the command list used for suggestions is the one --help shows', async () => {
    const help = await runCli('--help');
    const listed = [...help.stdout.matchAll(/^ {2}keikaku (\S+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(COMMAND_NAMES);
  });

  it('each command\'s --help lists only the exit codes it can return', async () => {
    const footer = async (...argv: string[]) => {
      const r = await runCli(...argv, '--help');
      expect(r.code).toBe(0);
      return /Exit codes:[^]*$/.exec(r.stdout)![0].replace(/\s+/g, ' ');
    };
    const init = await footer('init');
    expect(init).toContain('0 ok, 1 error.');
    expect(init).not.toMatch(/\b[23] /);
    expect(await footer('status')).toContain('2 a migration phase is not applied');
    expect(await footer('status')).not.toMatch(/\b3 /);
    const generate = await footer('generate');
    expect(generate).not.toMatch(/\b2 /);
    expect(generate).toContain('3 refused: a hazard not allowed');
    expect(await footer('plan')).toContain('2 changes found (--exit-code)');
    expect(await footer('check')).toMatch(/2 schema\/ has ungenerated changes[^]*3 refused/);
    expect(await footer('verify')).toMatch(/2 a migration does not round-trip[^]*3 refused/);
    const apply = await footer('apply');
    expect(apply).not.toMatch(/\b2 /);
    expect(apply).toContain('3 refused');
    expect(await footer('diff')).not.toMatch(/\b2 /);
    const types = await footer('types');
    expect(types).toContain('0 ok, 1 error.');
    expect(types).not.toMatch(/\b[23] /);
    // The main help names every code once, with the commands that return 2.
    expect(await footer()).toContain('2 differences found (check, verify, plan --exit-code, status)');
  });
});
