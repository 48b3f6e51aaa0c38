/**
 * A reader that stops reading (`keikaku … | head`) closes the pipe keikaku writes to: the output that is left goes
 * nowhere, the command ends as it would have, and no stack trace reaches the terminal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';

const runtime = mkdtempSync(join(tmpdir(), 'kk-pipe-'));
afterAll(() => rmSync(runtime, { recursive: true, force: true }));

/** `argv` with its stdout closed by the reader before the command writes. */
const closedStdout = (argv: readonly string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/keikaku.js'), ...argv], {
      cwd: projectRoot,
      env: { ...process.env, XDG_RUNTIME_DIR: runtime, KEIKAKU_DAEMON: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });

describe('a closed stdout', () => {
  it.each([[['--help']], [['daemon', 'status', '--all']], [['daemon', 'status', '--all', '--format', 'json']]])('%j ends as it would have, without a stack trace', async (argv) => {
    const { code, stderr } = await closedStdout(argv);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});
