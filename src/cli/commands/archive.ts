// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const archiveCommand: CommandModule = (cli, emit) =>
  cli.command('archive', 'Data kept in keikaku_archive by dropping migrations (what their downs restore)', (y) =>
    y
      .command(
        'prune',
        'Drop the archives older than --older-than (their migrations\' downs then restore the shape only)',
        (p) =>
          targetOptions(p)
            .option('older-than', { type: 'string', demandOption: true, describe: 'Age: 30d, 12h, 2w, 90min, 45s' })
            .option('dry-run', { type: 'boolean', default: false, describe: 'List what would be dropped; drop nothing' })
            .option('yes', { type: 'boolean', default: false, describe: 'Allow it on a production database' })
            .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
            .example('keikaku archive prune --older-than 30d --dry-run', '')
            .epilogue(exitCodes({ 3: 'a production database without --yes' })),
        async (a) => {
          const { loadConfig } = await import('../../config/index.js');
          const { runArchivePrune } = await import('../archive.js');
          emit(
            await runArchivePrune(await loadConfig(process.cwd()), {
              olderThan: a['older-than'],
              databaseUrl: a['database-url'],
              env: a.env,
              dryRun: a['dry-run'],
              yes: a.yes,
              format: a.format,
            }),
          );
        },
      )
      .demandCommand(1, 'Name a subcommand: keikaku archive prune --older-than 30d'),
  );
