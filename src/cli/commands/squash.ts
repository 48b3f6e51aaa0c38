// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';

export const squashCommand: CommandModule = (cli, emit) =>
  cli.command(
    'squash',
    'Collapse the migration history up to a migration into one baseline, proved to make the same schema',
    (y) =>
      y
        .option('to', { type: 'string', demandOption: true, requiresArg: true, describe: 'The last migration to squash (its id, or a unique beginning of it)' })
        .option('name', { type: 'string', describe: 'A few words for the baseline\'s folder name (default "squashed")' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Prove the squash and report it; write nothing' })
        .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the embedded PGlite' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          'A database that ran every squashed migration counts as having run the baseline and goes on with the migrations ' +
            'after it; a new database runs the baseline. Commit the change as one commit, so that a database that stopped ' +
            `inside the squashed range can finish from the commit before it.\n${exitCodes({ 3: 'the migration history is not intact or not linear' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { withShadow } = await import('../options.js');
      const { runSquash } = await import('../squash.js');
      emit(await runSquash(withShadow(await loadConfig(process.cwd()), a['shadow-url']), { to: a.to, name: a.name, dryRun: a['dry-run'], format: a.format }));
    },
  );
