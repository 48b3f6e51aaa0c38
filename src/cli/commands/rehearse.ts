// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';
import { targetOptions } from './run-options.js';

export const rehearseCommand: CommandModule = (cli, emit) =>
  cli.command(
    'rehearse [migrations..]',
    'Run the pending migrations on a copy of the database (never on it) under a workload, measure each step, forecast the real run',
    (y) =>
      targetOptions(y)
        .positional('migrations', { type: 'string', array: true, default: [] as string[], describe: 'Rehearse up to these pending migrations (ids or unique beginnings); default all' })
        .option('sample', { type: 'number', describe: 'Copy at most ROWS rows of each table (pg_dump), foreign keys kept satisfied; the forecast scales up' })
        .option('copy', { choices: ['template', 'dump', 'provider'] as const, describe: 'Copy only this way (default: TEMPLATE, else pg_dump | pg_restore, else rehearse commands of keikaku.config.ts)' })
        .option('scratch-url', { type: 'string', describe: 'A server of the same major for the pg_dump copy (default: the source server)' })
        .option('lock-timeout', { type: 'string', default: '2s', describe: 'lock_timeout the real run will use: steps that would hold others longer are reported' })
        .option('format', { choices: ['text', 'json', 'html'] as const, default: 'text' as const, describe: 'Report format (html: the review page with the figures)' })
        .epilogue(
          `Source: --database-url, else --env NAME, else DATABASE_URL; it is only read. See docs/commands/rehearse.md.\n${exitCodes({ 3: 'the rehearsal found a step that failed or would exceed lock_timeout, failed workload statements, or a round trip that lost data' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runRehearseCommand } = await import('../rehearse.js');
      const config = await loadConfig(process.cwd());
      emit(
        await runRehearseCommand(config, {
          databaseUrl: a['database-url'],
          env: a.env,
          migrations: (a.migrations ?? []).map(String),
          sample: a.sample,
          copy: a.copy,
          scratchUrl: a['scratch-url'],
          lockTimeout: a['lock-timeout'],
          format: a.format,
          progress: (text) => process.stderr.write(text),
        }),
      );
    },
  );
