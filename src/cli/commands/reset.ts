// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { terminalOutput } from '../../model/escape.js';
import { exitCodes, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const resetCommand: CommandModule = (cli, emit) =>
  cli.command(
    'reset',
    'Development: drop every schema of the database (rows, journal, archive) and apply every migration again',
    (y) =>
      targetOptions(y)
        .option('yes', { type: 'boolean', default: false, describe: 'Do not ask (needed without a terminal): the rows are gone' })
        .option('production', { type: 'boolean', default: false, describe: 'Treat the target as production (then refused)' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          `Target: --database-url, else --env NAME, else DATABASE_URL (.env too). Never a production database (an environment\nmarked production, or a database marked with keikaku env mark production), even with --yes.\n${exitCodes({ 3: 'a production database, not confirmed (no terminal and no --yes), or apply refused' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runReset } = await import('../reset.js');
      const stream = a.format === 'json' ? process.stderr : process.stdout;
      emit(
        await runReset(await loadConfig(process.cwd()), {
          databaseUrl: a['database-url'],
          env: a.env,
          production: a.production,
          yes: a.yes,
          format: a.format,
          write: (text) => stream.write(terminalOutput(text)),
          tty: process.stdin.isTTY === true && process.stdout.isTTY === true,
        }),
      );
    },
  );
