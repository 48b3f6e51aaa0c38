// The command's code (and lint's rules and parser) is imported when it runs, so the other commands do not load it.
import { listOption, type CommandModule } from '../options.js';

const LINT_EXIT_CODES = [
  'Exit codes: 0 no error-level finding left unallowed (warnings and allowed',
  '  findings are only reported); 1 error (unreadable file, syntax error,',
  '  unknown rule or hazard); 3 refused: an error-level finding not allowed.',
  'Acknowledge a reviewed hazard with a comment right above the statement,',
  '  -- keikaku:allow create-index-concurrently',
  'or everywhere with --allow RULE,… or --allow-hazards CODE,…',
].join('\n');

export const lintCommand: CommandModule = (cli, emit) =>
  cli.command(
    'lint [files..]',
    'Report the hazards of hand-written migration SQL (locks, rewrites, scans, data loss), each with a safe rewrite',
    (y) =>
      y
        .positional('files', { type: 'string', array: true, describe: 'SQL files to lint (a directory: every .sql file under it)' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
        .option('allow', listOption('RULE[,RULE…] acknowledged in every statement; repeatable'))
        .option('allow-hazards', listOption('HAZARD[,HAZARD…]: findings with these hazard codes are acknowledged; repeatable'))
        .option('assume-in-transaction', { type: 'boolean', default: false, describe: 'The file runs in one transaction even without BEGIN (a wrapping runner)' })
        .option('applied-by-keikaku', {
          type: 'boolean',
          default: false,
          describe: 'The file is run by keikaku apply, which sets lock_timeout per step: skip require-lock-timeout',
        })
        .option('postgres-version', { type: 'number', describe: 'Oldest PostgreSQL major version the file must run on (default 13)' })
        .option('schema', { type: 'string', describe: 'SQL of the existing schema (e.g. generated/schema.sql): column types for type-change rules' })
        .option('list-rules', { type: 'boolean', default: false, describe: 'List the rules (id, severity, hazard, what) and exit' })
        .example('keikaku lint migrations/*.sql', '')
        .example('keikaku lint --applied-by-keikaku generated/migrations', '')
        .example('keikaku lint --format json --allow rename-column fix.sql', '')
        .epilogue(LINT_EXIT_CODES),
    async (a) => {
      const { runLint } = await import('../lint.js');
      emit(
        await runLint({
          files: (a.files ?? []).map(String),
          format: a.format,
          allow: a.allow.map(String),
          allowHazards: a['allow-hazards'].map(String),
          assumeInTransaction: a['assume-in-transaction'],
          appliedByKeikaku: a['applied-by-keikaku'],
          postgresVersion: a['postgres-version'],
          schema: a.schema,
          listRules: a['list-rules'],
        }),
      );
    },
  );
