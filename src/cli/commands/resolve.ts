// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const resolveCommand: CommandModule = (cli, emit) =>
  cli.command(
    'resolve <migration>',
    'Record in the journal what was done by hand: a migration applied (--applied) or undone (--rolled-back); runs nothing',
    (y) =>
      targetOptions(y)
        .positional('migration', { type: 'string', demandOption: true, describe: 'A migration id (or a unique beginning of one)' })
        .option('applied', { type: 'boolean', default: false, describe: 'Its phases ran by hand (or a failed one was finished by hand)' })
        .option('rolled-back', { type: 'boolean', default: false, describe: 'Its phases were undone by hand (or a failed one cleaned up): apply runs them again' })
        .option('phase', { choices: ['expand', 'backfill', 'contract'] as const, describe: 'Only this phase of the migration' })
        .option('yes', { type: 'boolean', default: false, describe: 'Do not ask before writing the journal of a production database' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          `Target: --database-url, else --env NAME, else DATABASE_URL (.env too). A production database needs --yes or its name.\n${exitCodes({ 3: 'the history is not intact, the journal would not be a line (an earlier phase not applied, a later one applied), a production database not confirmed' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runResolve } = await import('../resolve.js');
      const config = await loadConfig(process.cwd());
      emit(
        await runResolve(config, {
          migration: String(a.migration),
          applied: a.applied,
          rolledBack: a['rolled-back'],
          phase: a.phase,
          databaseUrl: a['database-url'],
          env: a.env,
          yes: a.yes,
          format: a.format,
        }),
      );
    },
  );
