// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';

export const daemonCommand: CommandModule = (cli, emit) =>
  cli.command(
    'daemon <action>',
    "The background process that keeps generate and plan warm for this project: show it, or stop it",
    (y) =>
      y
        .positional('action', { choices: ['status', 'stop'] as const, describe: 'status: pid, runs, idle time, memory; stop: end it (after a run going on)' })
        .option('all', { type: 'boolean', default: false, describe: 'Every project of this user, not only the current directory' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          'generate and plan start one on a terminal (not in CI), or with KEIKAKU_DAEMON=1; KEIKAKU_DAEMON=0 never does.\n' +
            'It exits after KEIKAKU_DAEMON_IDLE seconds without a run (600), and when keikaku is rebuilt. See docs/daemon.md.\n' +
            exitCodes(),
        ),
    async (a) => {
      const { runDaemonControl } = await import('../daemon/control.js');
      emit(await runDaemonControl(a.action as 'status' | 'stop', { all: a.all, format: a.format }));
    },
  );
