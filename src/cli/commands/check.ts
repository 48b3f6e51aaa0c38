// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { exitCodes, withShadow, type CommandModule } from '../options.js';
import { fleetArgs, fleetOptions, tenantOptions } from './run-options.js';

export const checkCommand: CommandModule = (cli, emit) =>
  cli.command(
    'check',
    'CI gate: the migration history is intact and linear, schema/ has no ungenerated change, and (with a database) nothing is pending and nothing drifted',
    (y) =>
      tenantOptions(fleetOptions(y))
        .option('database-url', { type: 'string', describe: 'Also check this database: no pending migration, no drift (DATABASE_URL is not read implicitly)' })
        .option('env', { type: 'string', describe: 'Also check the database of this environment of keikaku.config.ts' })
        .conflicts('database-url', 'env')
        .option('format', {
          choices: ['text', 'json', 'github', 'sarif'] as const,
          default: 'text' as const,
          describe: 'text; json; github (workflow annotations on the declaring file and line); sarif (SARIF 2.1.0 for code scanning)',
        })
        .option('lint', { type: 'boolean', default: true, describe: 'Lint every migration file (keikaku lint): warnings in generated files; in files a person wrote (generate --empty, hand edits) an unallowed hazard refuses (--no-lint: skip)' })
        .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the embedded PGlite' })
        .epilogue(`${exitCodes({ 2: 'schema/ has ungenerated changes, or the database has pending migrations or drifted', 3: 'the migration history is not intact or not linear, a hazard not allowed in a hand-written or hand-edited file' })}\nA drifted database is compared on a scratch database of its own server (needs CREATEDB), else through the embedded shadow.\nFleet (--targets FILE or --fleet): the repository once, then each database; 2 when one is pending or drifted, 1 when one failed (docs/fleets.md).\nSchema per tenant (--schemas PATTERN, on --database-url/--env else DATABASE_URL, or on each of --targets/--fleet): each matching schema\nagainst the template schema's applied migrations, named as the tenant's; other schemas never count; 3 when a migration cannot be retargeted.`),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const config = await loadConfig(process.cwd());
      const fleet = await import('../fleet.js');
      if (fleet.isFleet(a)) {
        if (fleet.isDatabaseFleet(a)) fleet.refuseWithFleet({ 'database-url': a['database-url'], env: a.env });
        const format = fleet.fleetFormat(a.format);
        emit(await fleet.runFleetRead(withShadow(config, a['shadow-url']), 'check', { ...fleetArgs({ ...a, format }), lint: a.lint }));
        return;
      }
      fleet.refuseWithoutFleet({ parallel: a.parallel, 'template-schema': a['template-schema'] });
      const { runCheck } = await import('../check.js');
      emit(await runCheck(withShadow(config, a['shadow-url']), { databaseUrl: a['database-url'], env: a.env, format: a.format, lint: a.lint }));
    },
  );
