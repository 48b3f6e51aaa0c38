// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, listOption, withShadow, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const pushCommand: CommandModule = (cli, emit) =>
  cli.command(
    'push',
    'Development: bring the database straight to schema/ (no migration written); shows the plan and asks first',
    (y) =>
      targetOptions(y)
        .option('yes', { type: 'boolean', default: false, describe: 'Do not ask (needed without a terminal)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show what would run; run nothing' })
        .option('allow-data-loss', {
          type: 'boolean',
          default: false,
          describe: 'Run steps that destroy rows (dropped tables and columns are archived in keikaku_archive first)',
        })
        .option('watch', { type: 'boolean', default: false, describe: 'Push again after every save in schema/ (Ctrl-C stops)' })
        .option('rename', listOption('OLD=NEW rename hint (as in plan); repeatable'))
        .option('no-rename', listOption('schema.table.column (or schema.table) that was really dropped: no rename; repeatable'))
        .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the one the database is on' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          'Target: --database-url, else --env NAME, else DATABASE_URL (.env too). Never a production database (by --env, ' +
            'the config, or keikaku env mark production): write a migration with generate and run it with apply there.\n' +
            exitCodes({ 3: 'a production database, rows a step would destroy (without --allow-data-loss), not confirmed (no terminal and no --yes)' }),
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runPush } = await import('../push.js');
      const { colourEnabled } = await import('../colour.js');
      const config = withShadow(await loadConfig(process.cwd()), a['shadow-url']);
      const args = {
        databaseUrl: a['database-url'],
        env: a.env,
        yes: a.yes,
        dryRun: a['dry-run'],
        allowDataLoss: a['allow-data-loss'],
        renames: a.rename.map(String),
        noRename: a['no-rename'].map(String),
        format: a.format,
        tty: process.stdin.isTTY === true && process.stdout.isTTY === true,
        color: colourEnabled(process.stdout),
      };
      if (!a.watch) return emit(await runPush(config, args));
      const { watchLoop } = await import('../watch.js');
      await watchLoop(config, 'pushing', () => runPush(config, args), emit);
    },
  );
