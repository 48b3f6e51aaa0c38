// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import type { CommandModule } from '../options.js';
import { RUN_EPILOGUE, runArgs, runOptions } from './run-options.js';

export const applyCommand: CommandModule = (cli, emit) =>
  cli.command(
    'apply',
    'Run pending migrations phase by phase (expand, backfill, contract), journalled, one keikaku at a time',
    (y) =>
      runOptions(y)
        .option('to', { type: 'string', describe: 'Stop after this migration (its id)' })
        .option('phase', {
          choices: ['expand', 'backfill', 'contract'] as const,
          describe: 'Stop before the first phase after this one (zero-downtime: apply --phase expand, deploy, apply)',
        })
        .epilogue(RUN_EPILOGUE),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runApplyCommand } = await import('../run-apply.js');
      const config = await loadConfig(process.cwd());
      emit(await runApplyCommand(config, { ...runArgs(a), direction: 'up', to: a.to, phase: a.phase }));
    },
  );
