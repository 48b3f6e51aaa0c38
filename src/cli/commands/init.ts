// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, type CommandModule } from '../options.js';

export const initCommand: CommandModule = (cli, emit) =>
  cli.command(
    'init',
    'Start a project here: keikaku.config.ts, schema/ and generated/ (changes nothing that exists)',
    (y) => y.epilogue(exitCodes()),
    async () => {
      const { runInit } = await import('../init.js');
      emit(runInit(process.cwd()));
    },
  );
