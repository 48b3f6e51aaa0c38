/** The options `apply` and `down` share. */
import type { Argv } from 'yargs';
import type { RunArgs } from '../run-apply.js';
import { exitCodes } from '../options.js';
import { terminalOutput } from '../../model/escape.js';

/** The `--help` epilogue of the commands that change a database (`apply`, `down`). */
export const RUN_EPILOGUE =
  'Target: --database-url, else --env NAME (keikaku.config.ts environments), else DATABASE_URL (.env too).\n' +
  'A production database (marked with keikaku env mark production, a production environment, or --production) needs\n' +
  '--yes or its database name typed at the prompt; see docs/connections.md.\n' +
  exitCodes({ 3: 'a production database not confirmed, a checksum mismatch, a step refused by its preflight' });

export const targetOptions = <T>(y: Argv<T>) =>
  y
    .option('database-url', { type: 'string', describe: 'The database (default: --env, else DATABASE_URL)' })
    .option('env', { type: 'string', describe: 'An environment of keikaku.config.ts' });

export const runOptions = <T>(y: Argv<T>) =>
  targetOptions(y)
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the SQL it would run; run nothing, write no journal' })
    .option('yes', { type: 'boolean', default: false, describe: 'Do not ask before changing a production database' })
    .option('production', { type: 'boolean', default: false, describe: 'Treat the target as production (guarded)' })
    .option('direct-url', {
      type: 'string',
      describe: 'A URL that bypasses a transaction-mode pooler (as Prisma\'s directUrl): the run goes over it (default: config directUrl)',
    })
    .option('lock-timeout', { type: 'string', default: '2s', describe: 'lock_timeout of each step (e.g. 500ms, 2s)' })
    .option('statement-timeout', { type: 'string', describe: "statement_timeout of each statement (default: the role's or database's own)" })
    .option('retries', { type: 'number', default: 5, describe: 'Tries again after a lock timeout or deadlock, with backoff' })
    .option('verify-schema', {
      type: 'boolean',
      default: false,
      describe: 'First compare the live schema with what its applied migrations make (as check does; takes seconds); refuse on a difference',
    })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' });

export const runArgs = (a: {
  'database-url'?: string;
  env?: string;
  'dry-run': boolean;
  yes: boolean;
  production: boolean;
  'lock-timeout': string;
  'direct-url'?: string;
  'statement-timeout'?: string;
  retries: number;
  format: 'text' | 'json';
  'verify-schema': boolean;
}): Omit<RunArgs, 'direction'> => ({
  databaseUrl: a['database-url'],
  env: a.env,
  production: a.production,
  dryRun: a['dry-run'],
  yes: a.yes,
  lockTimeout: a['lock-timeout'],
  directUrl: a['direct-url'],
  statementTimeout: a['statement-timeout'],
  retries: a.retries,
  format: a.format,
  verifySchema: a['verify-schema'],
  // Progress redraws its line with CR on a terminal; every other invisible character is escaped.
  write: (text) => (a.format === 'json' ? process.stderr : process.stdout).write(terminalOutput(text, /^[\n\r]$/)),
  progressTty: (a.format === 'json' ? process.stderr : process.stdout).isTTY === true,
});

/** What `apply --help` adds for a fleet. */
export const FLEET_EPILOGUE =
  'Fleet (--targets FILE or --fleet): a summary per database (--format json: url, from, to, durationMs, state, error);\n' +
  'exit 1 when a database failed, 3 when production databases of the fleet were not confirmed (--yes). docs/fleets.md.\n' +
  "Schema per tenant (--schemas 'tenant_%' on the database, or on each of --targets/--fleet): each matching schema is a target,\n" +
  'with its own journal and lock, and takes --parallel, --canary, --continue-on-error; a migration that cannot be retargeted\n' +
  'safely (the template schema in a string or function body, extensions, schema statements, search_path) is refused, exit 3.';

/** `--targets FILE` / `--fleet` and `--parallel`: the options of every command that runs over a fleet (docs/fleets.md). */
export const fleetOptions = <T>(y: Argv<T>) =>
  y
    .option('targets', { type: 'string', requiresArg: true, describe: 'Run over every database of FILE (one URL per line, # comments): a fleet; see docs/fleets.md' })
    .option('fleet', { type: 'boolean', describe: 'Run over the targets of keikaku.config.ts (a list of URLs, or { query, from })' })
    .conflicts('targets', 'fleet')
    .option('parallel', { type: 'number', requiresArg: true, describe: 'Fleet: at most N databases at once (default 1)' });

/** `--schemas PATTERN` and `--template-schema NAME` (apply, status): schema per tenant, docs/fleets.md. */
export const tenantOptions = <T>(y: Argv<T>) =>
  y
    .option('schemas', {
      type: 'string',
      requiresArg: true,
      describe: "Schema per tenant: run in every schema whose name is LIKE PATTERN (e.g. 'tenant_%'), each with its own journal; a fleet of schemas (docs/fleets.md)",
    })
    .option('template-schema', {
      type: 'string',
      requiresArg: true,
      describe: 'With --schemas: the schema the migrations build for tenants (default tenants.template of the config, else the one schema they name)',
    });

/** What `apply` adds for a fleet: canaries and what a failure does. */
export const fleetApplyOptions = <T>(y: Argv<T>) =>
  fleetOptions(y)
    .option('canary', { type: 'number', requiresArg: true, describe: 'Fleet: the first K databases first; if one fails, no other starts' })
    .option('continue-on-error', { type: 'boolean', default: false, describe: 'Fleet: keep starting databases after one failed (default: stop starting new ones)' });

export const fleetArgs = (a: {
  targets?: string;
  fleet?: boolean;
  parallel?: number;
  format: 'text' | 'json';
  schemas?: string;
  'template-schema'?: string;
  'database-url'?: string;
  env?: string;
  production?: boolean;
}) => ({
  targets: a.targets,
  fleet: a.fleet,
  parallel: a.parallel,
  format: a.format,
  schemas: a.schemas,
  templateSchema: a['template-schema'],
  // --schemas on one database: that database, found as apply finds it.
  database: { databaseUrl: a['database-url'], env: a.env, production: a.production },
});
