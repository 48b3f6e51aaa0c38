/**
 * Colour: painted on a terminal (the real CLI under a pseudo-terminal made by `script`), never when piped or with
 * NO_COLOR; text from names (already escaped) cannot bring its own escapes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { colourEnabled, paintStderr, paintStdout } from '../../src/cli/colour.js';
import { terminalOutput } from '../../src/model/escape.js';
import { ensureBuilt } from '../load/built.js';
import { projectRoot } from '../support/paths.js';

const ESC = '\u001b[';
const bin = join(projectRoot, 'bin/keikaku.js');
const hasScript = existsSync('/usr/bin/script');

/** Runs keikaku under a pseudo-terminal (util-linux `script`); returns what the terminal received. */
const onTerminal = (args: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync('script', ['-qec', `${process.execPath} ${bin} ${args}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', TERM: 'xterm', ...env } });

describe('colour', () => {
  beforeAll(ensureBuilt, 600_000);

  it('paints status states, check sections and findings, and the error prefix; nothing else', () => {
    expect(paintStdout('  expand   applied     2026-01-01\n  contract pending')).toBe(`  expand   ${ESC}32mapplied${ESC}0m     2026-01-01\n  contract ${ESC}33mpending${ESC}0m`);
    expect(paintStdout('  database  FAILED  postgres://x')).toContain(`${ESC}31mFAILED`);
    expect(paintStdout('schema/t.ts:1:2: error drift-added: x')).toBe(`schema/t.ts:1:2: ${ESC}31merror${ESC}0m drift-added: x`);
    expect(paintStdout('plain applied text')).toBe('plain applied text');
    expect(paintStderr('keikaku: no database')).toBe(`${ESC}31mkeikaku:${ESC}0m no database`);
    // An escape inside a name is escaped before painting: only the painter's own escapes remain.
    const hostile = terminalOutput('  expand   applied     by \u001b[2Jevil');
    expect(paintStdout(hostile).split(ESC).length - 1).toBe(2);
  });

  it('is on for a TTY only, off with NO_COLOR (non-empty) or TERM=dumb', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
  });

  it.runIf(hasScript)('the real CLI: an error is red on a terminal, plain when piped or with NO_COLOR', () => {
    const tty = onTerminal('stauts');
    expect(tty.stdout).toContain(`${ESC}31mkeikaku:${ESC}0m unknown command`);
    expect(onTerminal('stauts', { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    const piped = spawnSync(process.execPath, [bin, 'stauts'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
    expect(piped.status).toBe(1);
    expect(piped.stderr).toBe('keikaku: unknown command "stauts": did you mean `status`? (keikaku --help lists the commands)\n');
  });
});
