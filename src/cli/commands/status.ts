// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';
import { fleetArgs, fleetOptions, targetOptions, tenantOptions } from './run-options.js';

export const statusCommand: CommandModule = (cli, emit) =>
  cli.command(
    'status',
    'Each migration phase on the database: applied (when, how long), pending, running, failed; checksum state',
    (y) =>
      tenantOptions(fleetOptions(targetOptions(y)))
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(`Target: --database-url, else --env NAME, else DATABASE_URL (.env too).\n${exitCodes({ 2: 'a migration phase is not applied (pending, running, interrupted or failed)' })}\nFleet (--targets FILE or --fleet): 2 when a database has a phase not applied, 1 when one could not be read (docs/fleets.md).\nSchema per tenant (--schemas PATTERN): each matching schema's own journal, as a fleet; 1 when a migration cannot be retargeted.`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const config = await loadConfig(process.cwd());
      const fleet = await import('../fleet.js');
      if (fleet.isFleet(a)) {
        if (fleet.isDatabaseFleet(a)) fleet.refuseWithFleet({ 'database-url': a['database-url'], env: a.env });
        emit(await fleet.runFleetRead(config, 'status', fleetArgs(a)));
        return;
      }
      fleet.refuseWithoutFleet({ parallel: a.parallel, 'template-schema': a['template-schema'] });
      const { runStatusCommand } = await import('../run-status.js');
      emit(await runStatusCommand(config, { databaseUrl: a['database-url'], env: a.env, format: a.format }));
    },
  );
