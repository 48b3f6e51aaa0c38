// The command's code is imported when it runs, so `--help` and the other commands do not load it.
import { terminalText as t } from '../../model/escape.js';
import { relative, resolve } from 'node:path';
import { exitCodes, listOption, type CommandModule } from '../options.js';

export const pullCommand: CommandModule = (cli, emit) =>
  cli.command(
    'pull',
    'Write schema/*.ts from an existing database (editing declarations in place), and baseline it as the first migration',
    (y) =>
      y
        .option('database-url', { type: 'string', describe: 'The database to read (default: --env, else DATABASE_URL, .env too)' })
        .option('env', { type: 'string', describe: 'An environment of keikaku.config.ts' })
        .option('schema', listOption('Only this Postgres schema; repeatable (default: every user schema)'))
        .option('out', { type: 'string', describe: 'The schema directory to write (default: schemaDir of keikaku.config.ts, else schema/)' })
        .option('baseline', {
          type: 'boolean',
          default: true,
          describe: 'When generated/ has no migration yet: write the current schema as the first migration and record it as applied on the database (--no-baseline: files only)',
        })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Report what would change; write no file, no migration, no journal' })
        .option('yes', { type: 'boolean', default: false, describe: 'Do not ask before writing a baseline to a production database' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .epilogue(
          'Run it again after the database changed: only the declarations of changed objects are rewritten, code around them is kept.\n' +
            'Journals of Alembic, Prisma, Drizzle and node-pg-migrate are reported and left out of every diff.\n' +
            `KEIKAKU_NOW (an ISO time) fixes the baseline's clock.\n${exitCodes()}`,
        ),
    async (a) => {
      const { loadConfig } = await import('../../config/index.js');
      const { pull } = await import('../../api.js');
      const { pullJson, pullText } = await import('../../pull/report.js');
      const { confirmProduction } = await import('../apply.js');
      const { removeUntouchedExample } = await import('../init.js');
      const config = await loadConfig(process.cwd());
      const started = performance.now();
      const r = await pull({
        config,
        databaseUrl: a['database-url'],
        env: a.env,
        out: a.out === undefined ? undefined : resolve(process.cwd(), a.out),
        schemas: a.schema.map(String),
        baseline: a.baseline,
        dryRun: a['dry-run'],
        yes: a.yes,
        confirm: (target) => confirmProduction(target, a.yes, 'write a baseline to'),
        now: process.env.KEIKAKU_NOW ? new Date(process.env.KEIKAKU_NOW) : new Date(),
        // init's example table, never edited, is not the user's: the database's tables take its place.
        beforeWrite: removeUntouchedExample,
        onUnreadable: (reason) =>
          process.stderr.write(`keikaku: the existing ${t(relative(process.cwd(), a.out === undefined ? config.schemaDir : resolve(process.cwd(), a.out)) || '.')} could not be read (${t(reason)}): declarations that differ from the database's are rewritten\n`),
        onWait: () => process.stderr.write('keikaku: waiting for another keikaku holding the apply lock on this database…\n'),
      });
      const shownOut = relative(process.cwd(), r.out) || '.';
      const shownBaseline = r.baseline.kind === 'written' ? { ...r.baseline, dir: relative(process.cwd(), r.baseline.dir) } : r.baseline;
      const report = { target: r.target.label, out: shownOut, result: r.result, baseline: shownBaseline, seconds: (performance.now() - started) / 1000 };
      const removed = r.prepared ? `removed ${relative(process.cwd(), r.prepared)} (keikaku init's example, unchanged)\n` : '';
      emit({ stdout: a.format === 'json' ? pullJson(report) : `${removed}${pullText(report)}`, exitCode: 0 });
    },
  );
