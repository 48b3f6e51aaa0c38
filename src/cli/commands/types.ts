// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, withShadow, type CommandModule } from '../options.js';

export const typesCommand: CommandModule = (cli, emit) =>
  cli.command(
    'types',
    "Write row types for application code from schema/: Kysely's DB interface (--kysely FILE)",
    (y) =>
      y
        .option('kysely', { type: 'string', requiresArg: true, describe: "Write Kysely's DB interface (tables and views of schema/, as normalized) to FILE" })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the embedded PGlite' })
        .example('keikaku types --kysely src/db.d.ts', '')
        .epilogue(exitCodes()),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runTypes } = await import('../types.js');
      const config = await loadConfig(process.cwd());
      emit(await runTypes(withShadow(config, a['shadow-url']), { kysely: a.kysely, format: a.format }));
    },
  );
