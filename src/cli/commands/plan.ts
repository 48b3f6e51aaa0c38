// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, listOption, projectArgs, projectOptions, withProjectConfig, type CommandModule } from '../options.js';
import { colourEnabled } from '../colour.js';

export const planCommand: CommandModule = (cli, emit) =>
  cli.command(
    'plan',
    'Show the migration schema/ needs (against the migration history, or --from-db), writing nothing',
    (y) =>
      projectOptions(y)
        .option('format', { choices: ['text', 'json', 'md', 'html'] as const, default: 'text' as const, describe: 'Report format (html: a self-contained review page)' })
        .option('exit-code', { type: 'boolean', default: false, describe: 'Exit 2 when there are changes, 3 when generate would refuse them' })
        .option('allow-hazards', listOption("Hazard codes to allow, as for generate: the plan is judged as generate would judge it"))
        .option('watch', { type: 'boolean', default: false, describe: 'Plan again after every save in schema/ (Ctrl-C stops)' })
        .epilogue(exitCodes({ 2: 'changes found (--exit-code)', 3: 'generate would refuse this plan (--exit-code), the migration history not intact or not linear, an ambiguous rename' })),
    async (a) => {
      const { runPlan } = await import('../plan.js');
      await withProjectConfig(a, async (config) => {
        const once = () =>
          runPlan(config, undefined, {
            ...projectArgs(a),
            format: a.format,
            exitCode: a['exit-code'],
            allowHazards: a['allow-hazards'].map(String),
            color: colourEnabled(process.stdout),
          });
        if (!a.watch) return emit(await once());
        const { watchLoop } = await import('../watch.js');
        await watchLoop(config, 're-planning', once, emit);
      });
    },
  );
