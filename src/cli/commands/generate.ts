// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, listOption, projectArgs, projectOptions, withProjectConfig, type CommandModule } from '../options.js';

export const generateCommand: CommandModule = (cli, emit) =>
  cli.command(
    'generate [name]',
    'Write the next migration (up and down per phase, plan.json, plan.md), schema.sql and migrations.sum',
    (y) =>
      projectOptions(y)
        .positional('name', { type: 'string', default: 'migration', describe: 'A few words for the folder name' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .option('allow-hazards', listOption("Hazard codes to allow (CODE,CODE or repeated), besides the config's allowHazards and the defaults"))
        .option('batch-size', { type: 'number', default: 1000, describe: 'Rows per committed batch of a backfill' })
        .option('batch-pause', { type: 'number', default: 0, describe: 'Seconds to sleep between backfill batches' })
        .option('rebase', { type: 'boolean', default: false, describe: 'After a merge left two heads: re-plan the newer one on top of the other' })
        .option('empty', { type: 'boolean', default: false, describe: 'Write a migration to fill by hand (a data migration, SQL the DSL does not declare); no diff' })
        .epilogue(`KEIKAKU_NOW (an ISO time) fixes the clock, so the same input writes byte-identical files.\n${exitCodes({ 3: 'a hazard not allowed, a change that cannot roll out online, the migration history not intact or not linear, an ambiguous rename' })}`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      if (a.empty) {
        const { UserError } = await import('../../db/errors.js');
        const other = a.rebase ? '--rebase' : a['from-db'] !== undefined ? '--from-db' : undefined;
        if (other) throw new UserError(`--empty writes a migration to fill by hand; it takes no ${other}`);
        const { runEmptyMigration } = await import('../empty-migration.js');
        const now = process.env.KEIKAKU_NOW ? new Date(process.env.KEIKAKU_NOW) : new Date();
        emit(await runEmptyMigration(await loadConfig(process.cwd()), { name: a.name, format: a.format, now }));
        return;
      }
      const { runGenerate } = await import('../generate.js');
      const { askRename } = await import('../prompt.js');
      const { rebase, recordReplaced } = await import('../../api.js');
      await withProjectConfig(a, async (config) => {
        const removed = a.rebase ? await rebase({ config }) : undefined;
        const name = removed?.replace(/^\d+_/, '') ?? a.name;
        const output = await runGenerate(config, undefined, {
          ...projectArgs(a),
          decide: process.stdin.isTTY && process.stdout.isTTY ? askRename : undefined,
          name,
          allowHazards: a['allow-hazards'].map(String),
          batchSize: a['batch-size'],
          batchPause: a['batch-pause'],
          format: a.format,
          now: process.env.KEIKAKU_NOW ? new Date(process.env.KEIKAKU_NOW) : new Date(),
        });
        if (removed && output.exitCode === 0) await recordReplaced({ config, removed });
        emit(output);
      });
    },
  );
