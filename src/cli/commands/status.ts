import { loadConfig } from '../../config/index.js';
import { runStatusCommand } from '../run-status.js';
import { EXIT_CODES, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const statusCommand: CommandModule = (cli, emit) =>
  cli.command(
    'status',
    'Each migration phase on the database: applied (when, how long), pending, running, failed; checksum state',
    (y) =>
      targetOptions(y)
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(`Target: --database-url, else --env NAME, else DATABASE_URL (.env too).\n${EXIT_CODES}`),
    async (a) => {
      const config = await loadConfig(process.cwd());
      emit(await runStatusCommand(config, { databaseUrl: a['database-url'], env: a.env, format: a.format }));
    },
  );
