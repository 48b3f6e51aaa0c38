import { runInit } from '../init.js';
import { EXIT_CODES, type CommandModule } from '../options.js';

export const initCommand: CommandModule = (cli, emit) =>
  cli.command(
    'init',
    'Start a project here: keikaku.config.ts, schema/ and generated/ (changes nothing that exists)',
    (y) => y.epilogue(EXIT_CODES),
    () => emit(runInit(process.cwd())),
  );
