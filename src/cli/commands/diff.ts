// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, listOption, type CommandModule } from '../options.js';

export const diffCommand: CommandModule = (cli, emit) =>
  cli.command(
    'diff',
    'Compare two schemas and write DIR/up.sql and DIR/down.sql (never writes to either database)',
    (y) =>
      y
        .option('from', { type: 'string', demandOption: true, describe: 'Current schema: postgres:// URL, .sql file, schema directory (the DSL) or migrations:DIR' })
        .option('to', { type: 'string', demandOption: true, describe: 'Desired schema: postgres:// URL, .sql file, schema directory (the DSL) or migrations:DIR' })
        .option('out', { type: 'string', demandOption: true, describe: 'Directory to write up.sql and down.sql into' })
        .option('rename', listOption('OLD=NEW: OLD a qualified name in --from (schema.table[.column]), NEW its new name; repeatable'))
        .option('shadow-url', { type: 'string', describe: 'Server to load .sql sources and schema directories on (default: embedded PGlite)' })
        .option('archive', {
          type: 'boolean',
          default: true,
          describe: 'Copy the rows of dropped tables and columns into keikaku_archive in up.sql, so down.sql restores them (--no-archive: drop them)',
        })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .example('keikaku diff --from postgres://localhost/app --to desired.sql --out out/', '')
        .example('keikaku diff --from migrations:generated --to schema --out out/', '')
        .epilogue(exitCodes({ 3: 'an ambiguous or malformed rename' })),
    async (a) => {
      const { runDiff } = await import('../diff.js');
      emit(
        await runDiff({
          from: a.from,
          to: a.to,
          out: a.out,
          rename: a.rename.map(String),
          shadowUrl: a['shadow-url'],
          format: a.format,
          archive: a.archive,
        }),
      );
    },
  );
