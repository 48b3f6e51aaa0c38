// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import type { CommandModule } from '../options.js';
import { RUN_EPILOGUE, runArgs, runOptions } from './run-options.js';

export const downCommand: CommandModule = (cli, emit) =>
  cli.command(
    'down',
    'Run the generated downgrades of applied migrations, newest first (phase order reversed), journalled',
    (y) =>
      runOptions(y)
        .option('steps', { type: 'number', describe: 'How many migrations to undo (default 1)' })
        .option('to', { type: 'string', describe: 'Undo every migration after this one (it stays applied)' })
        .option('phase', {
          choices: ['expand', 'backfill', 'contract'] as const,
          describe: 'Undo the oldest migration chosen only down to this phase (it and the phases before it stay applied)',
        })
        .option('allow-data-loss', {
          type: 'boolean',
          default: false,
          describe: 'Run steps that destroy rows (drop a table or column, narrow a type): their rows are archived in keikaku_archive first and the next apply restores them',
        })
        .epilogue(RUN_EPILOGUE),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runApplyCommand } = await import('../run-apply.js');
      const config = await loadConfig(process.cwd());
      emit(await runApplyCommand(config, { ...runArgs(a), direction: 'down', to: a.to, steps: a.steps, phase: a.phase, allowDataLoss: a['allow-data-loss'] }));
    },
  );
