// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';

export const rehashCommand: CommandModule = (cli, emit) =>
  cli.command(
    'rehash',
    'Re-sign migrations.sum after a deliberate hand edit of a migration; edited phase files are then linted by check',
    (y) =>
      y
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          `Edit a generated migration only before any database ran it: apply refuses a file whose checksum differs\nfrom the journal's. A plan.md edit (a reviewer's note) never stops apply; rehash signs it too.\n${exitCodes({ 3: 'what re-signing cannot mend (two heads, a broken parent, an unreadable plan.json, merge conflict markers)' })}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { runRehash } = await import('../rehash.js');
      emit(await runRehash(await loadConfig(process.cwd()), a.format));
    },
  );
