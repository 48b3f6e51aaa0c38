/** Which word of the command line was meant as the command, and the suggestion for it (no CLI, no database). */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/commands/index.js';
import { mistypedCommand } from '../../src/cli/did-you-mean.js';

describe('mistypedCommand', () => {
  it('skips the value of an option written before the command', () => {
    expect(mistypedCommand(['--format', 'json', 'aply'], COMMAND_NAMES)).toEqual({ word: 'aply', guess: 'apply' });
    expect(mistypedCommand(['--database-url', 'postgres://x/y', 'stauts'], COMMAND_NAMES)).toEqual({ word: 'stauts', guess: 'status' });
  });
  it('still finds a command after a boolean flag, and names an unknown word without a guess', () => {
    expect(mistypedCommand(['--yes', 'aply'], COMMAND_NAMES)).toEqual({ word: 'aply', guess: 'apply' });
    expect(mistypedCommand(['--yes', 'aply', 'x'], COMMAND_NAMES)).toEqual({ word: 'aply', guess: 'apply' });
    expect(mistypedCommand(['migrate'], COMMAND_NAMES)).toEqual({ word: 'migrate', guess: undefined });
    expect(mistypedCommand(['--format', 'json', 'migrate'], COMMAND_NAMES)).toEqual({ word: 'migrate', guess: undefined });
  });
  it('is silent when a word is a command or there is none', () => {
    expect(mistypedCommand(['--format', 'json', 'plan'], COMMAND_NAMES)).toBeUndefined();
    expect(mistypedCommand(['--help'], COMMAND_NAMES)).toBeUndefined();
  });
});
