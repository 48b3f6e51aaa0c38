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
        .option('database-url', { type: 'string', describe: 'The database to read (default: DATABASE_URL, .env too)' })
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
      const { UserError } = await import('../../db/errors.js');
      const { connectPg } = await import('../../db/pg.js');
      const { confirmProduction, recordProductionMark, resolveTarget, withDatabaseMark } = await import('../apply.js');
      const { readHistory } = await import('../../load/migrations.js');
      const { baseline } = await import('../../pull/baseline.js');
      const { pull } = await import('../../pull/index.js');
      const { pullJson, pullText } = await import('../../pull/report.js');
      const { migrationStamp } = await import('../generate.js');
      const config = await loadConfig(process.cwd());
      const url = a['database-url'] ?? config.databaseUrl;
      if (!url) throw new UserError('pull needs a database: --database-url URL, or DATABASE_URL (environment or .env)');
      const out = a.out === undefined ? config.schemaDir : resolve(process.cwd(), a.out);
      const started = performance.now();
      const given = resolveTarget(config, { databaseUrl: url });
      const db = await connectPg(url);
      try {
        // The baseline is written to the database (its journal): a production database is guarded before anything
        // is written, files included.
        const target = await withDatabaseMark(given, db);
        const writesBaseline = a.baseline && !a['dry-run'] && readHistory(config.generatedDir).migrations.length === 0;
        if (writesBaseline) await confirmProduction(target, a.yes, 'write a baseline to');
        const schemas = a.schema.length ? a.schema.map(String) : null;
        // A first pull into files written by hand compares objects, not text: the files are normalized in a scratch
        // database on the same server (or the configured shadow), so what means the same stays as written.
        const previous = async () => {
          const { loadSchemaDir } = await import('../../load/schema-dir.js');
          const { normalize } = await import('../../load/shadow.js');
          try {
            return await normalize(await loadSchemaDir(out, { cwd: process.cwd() }), { shadowUrl: config.shadowUrl ?? url });
          } catch (e) {
            const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
            process.stderr.write(`keikaku: the existing ${t(relative(process.cwd(), out) || '.')} could not be read (${t(reason ?? '')}): declarations that differ from the database's are rewritten\n`);
            return undefined;
          }
        };
        // init's example table, never edited, is not the user's: the database's tables take its place.
        const { removeUntouchedExample } = await import('../init.js');
        const example = a['dry-run'] ? undefined : removeUntouchedExample(out);
        const result = await pull(db, { dir: out, schemas, dryRun: a['dry-run'], previous });
        const now = process.env.KEIKAKU_NOW ? new Date(process.env.KEIKAKU_NOW) : new Date();
        const b =
          a.baseline && !a['dry-run']
            ? await baseline(db, result.schema, {
                generatedDir: config.generatedDir,
                stamp: migrationStamp(now),
                markDatabase: true,
                onWait: () => process.stderr.write('keikaku: waiting for another keikaku holding the apply lock on this database…\n'),
              })
            : ({ kind: 'skipped' } as const);
        if (b.kind === 'written') await recordProductionMark(target, db);
        const shownOut = relative(process.cwd(), out) || '.';
        const shownBaseline = b.kind === 'written' ? { ...b, dir: relative(process.cwd(), b.dir) } : b;
        const report = { target: target.label, out: shownOut, result, baseline: shownBaseline, seconds: (performance.now() - started) / 1000 };
        const removed = example ? `removed ${relative(process.cwd(), example)} (keikaku init's example, unchanged)\n` : '';
        emit({ stdout: a.format === 'json' ? pullJson(report) : `${removed}${pullText(report)}`, exitCode: 0 });
      } finally {
        await db.close();
      }
    },
  );
