// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { EXIT_CODES, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

const KINDS = ['production'] as const;

export const envCommand: CommandModule = (cli, emit) =>
  cli.command('env', 'What kind of environment a database is, recorded in the database itself (the production guard)', (y) =>
    y
      .command(
        'mark <kind>',
        'Mark the database as production: apply, down, pull and archive prune then need --yes or its name typed, by any route to it',
        (p) =>
          targetOptions(p)
            .positional('kind', { choices: KINDS, demandOption: true })
            .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
            .epilogue(EXIT_CODES),
        async (a) => {
          const { loadConfig } = await import('../../config/index.js');
          const { runEnvMark } = await import('../env-mark.js');
          emit(await runEnvMark(await loadConfig(process.cwd()), { databaseUrl: a['database-url'], env: a.env, kind: a.kind, yes: false, format: a.format }));
        },
      )
      .command(
        'unmark <kind>',
        'Remove the mark (guarded itself: --yes or the database name typed)',
        (p) =>
          targetOptions(p)
            .positional('kind', { choices: KINDS, demandOption: true })
            .option('yes', { type: 'boolean', default: false, describe: 'Do not ask' })
            .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
            .epilogue(EXIT_CODES),
        async (a) => {
          const { loadConfig } = await import('../../config/index.js');
          const { runEnvUnmark } = await import('../env-mark.js');
          emit(await runEnvUnmark(await loadConfig(process.cwd()), { databaseUrl: a['database-url'], env: a.env, kind: a.kind, yes: a.yes, format: a.format }));
        },
      )
      .command(
        'show',
        'The marks of the database, the server identity, and whether keikaku guards it',
        (p) => targetOptions(p).option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' }).epilogue(EXIT_CODES),
        async (a) => {
          const { loadConfig } = await import('../../config/index.js');
          const { runEnvShow } = await import('../env-mark.js');
          emit(await runEnvShow(await loadConfig(process.cwd()), { databaseUrl: a['database-url'], env: a.env, format: a.format }));
        },
      )
      .demandCommand(1, 'Name a subcommand: keikaku env mark production | env unmark production | env show'),
  );
