// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const statusCommand: CommandModule = (cli, emit) =>
  cli.command(
    'status',
    'Each migration phase on the database: applied (when, how long), pending, running, failed; checksum state',
    (y) =>
      targetOptions(y)
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(`Target: --database-url, else --env NAME, else DATABASE_URL (.env too).\n${exitCodes({ 2: 'a migration phase is not applied (pending, running, interrupted or failed)' })}`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runStatusCommand } = await import('../run-status.js');
      const config = await loadConfig(process.cwd());
      emit(await runStatusCommand(config, { databaseUrl: a['database-url'], env: a.env, format: a.format }));
    },
  );
