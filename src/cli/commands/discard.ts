// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';

export const discardCommand: CommandModule = (cli, emit) =>
  cli.command(
    'discard',
    'Delete the newest migration, after checking that no known database it can reach has run it',
    (y) =>
      y
        .option('database-url', { type: 'string', describe: 'Also check this database (DATABASE_URL and every environment are checked anyway)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Check the databases and say what would be deleted; delete nothing' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          `Known databases: --database-url, DATABASE_URL (.env too) and each environment of keikaku.config.ts; one that cannot be\nreached is reported as not checked. migrations.sum and schema.sql are rewritten for the new head.\n${exitCodes({ 3: 'a known database has run (part of) the migration, or the history is not a line' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runDiscard } = await import('../discard.js');
      emit(await runDiscard(await loadConfig(process.cwd()), { databaseUrl: a['database-url'], dryRun: a['dry-run'], format: a.format }));
    },
  );
