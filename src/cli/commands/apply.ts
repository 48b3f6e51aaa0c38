// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import type { CommandModule } from '../options.js';
import { FLEET_EPILOGUE, RUN_EPILOGUE, fleetApplyOptions, fleetArgs, runArgs, runOptions, tenantOptions } from './run-options.js';

export const applyCommand: CommandModule = (cli, emit) =>
  cli.command(
    'apply',
    'Run pending migrations phase by phase (expand, backfill, contract), journalled, one keikaku at a time',
    (y) =>
      tenantOptions(fleetApplyOptions(runOptions(y)))
        .option('to', { type: 'string', describe: 'Stop after this migration (its id)' })
        .option('phase', {
          choices: ['expand', 'backfill', 'contract'] as const,
          describe: 'Stop before the first phase after this one (zero-downtime: apply --phase expand, deploy, apply)',
        })
        .epilogue(`${RUN_EPILOGUE}\n${FLEET_EPILOGUE}`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const config = await loadConfig(process.cwd());
      const fleet = await import('../fleet.js');
      if (fleet.isFleet(a)) {
        // --schemas alone runs on the one database apply would: --database-url and --env name it.
        const named = fleet.isDatabaseFleet(a) ? { 'database-url': a['database-url'], env: a.env } : {};
        fleet.refuseWithFleet({ ...named, 'dry-run': a['dry-run'], 'verify-schema': a['verify-schema'] });
        const { lockTimeout, statementTimeout, retries, yes } = runArgs(a);
        emit(await fleet.runFleetApply(config, { ...fleetArgs(a), canary: a.canary, continueOnError: a['continue-on-error'], to: a.to, phase: a.phase, yes, production: a.production, lockTimeout, statementTimeout, retries }));
        return;
      }
      fleet.refuseWithoutFleet({ parallel: a.parallel, canary: a.canary, 'continue-on-error': a['continue-on-error'], 'template-schema': a['template-schema'] });
      const { runApplyCommand } = await import('../run-apply.js');
      emit(await runApplyCommand(config, { ...runArgs(a), direction: 'up', to: a.to, phase: a.phase }));
    },
  );
