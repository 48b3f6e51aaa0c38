// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, withShadow, type CommandModule } from '../options.js';
import { fleetArgs, fleetOptions, tenantOptions } from './run-options.js';

export const verifyCommand: CommandModule = (cli, emit) =>
  cli.command(
    'verify',
    'Replay every migration up → down → up in the shadow and compare the catalogs each way; report the first that does not round-trip',
    (y) =>
      tenantOptions(fleetOptions(y))
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .option('shadow-url', { type: 'string', describe: 'Replay on scratch databases of this server instead of the embedded PGlite' })
        .epilogue(`${exitCodes({ 2: 'a migration does not round-trip (a file fails, or a state differs)', 3: 'the migration history is not intact or not linear' })}\nFleet (--targets FILE or --fleet): the history is replayed once, then each database's journal is held against its files; 1 when one differs or could not be read (docs/fleets.md).\nSchema per tenant (--schemas PATTERN, on DATABASE_URL or each database of the fleet): each tenant schema's journal; 3 when a migration cannot be retargeted.`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const config = await loadConfig(process.cwd());
      const fleet = await import('../fleet.js');
      if (fleet.isFleet(a)) {
        emit(await fleet.runFleetRead(withShadow(config, a['shadow-url']), 'verify', fleetArgs(a)));
        return;
      }
      fleet.refuseWithoutFleet({ parallel: a.parallel, 'template-schema': a['template-schema'] });
      const { runVerify } = await import('../verify.js');
      emit(await runVerify(withShadow(config, a['shadow-url']), { format: a.format }));
    },
  );
