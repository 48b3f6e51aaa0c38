/**
 * `generate --empty NAME`: a migration folder for SQL a person writes (a data migration, what the DSL does not
 * declare). Pure, like `renderMigration`: file names and contents; the CLI writes them.
 *
 * plan.json lists all three phases with no steps and says `handWritten`; only the expand files are written. A phase
 * runs when its up file exists (apply reads the SQL files, not plan.json's steps), so adding
 * `3_contract.up.sql` later is enough. `check` lints every SQL file of such a migration and refuses a hazard that
 * is not acknowledged (`-- keikaku:allow RULE`) or allowed (`allowHazards`).
 */
import { markdownCode, sqlComment } from '../model/escape.js';
import { phaseFile, type PlanJson } from './migration.js';

export interface HandWrittenMeta {
  readonly id: string;
  readonly parent: string | null;
}

const HOW_TO_FILL = [
  'Write the SQL below; `keikaku apply` runs this file as psql would, step by step:',
  'BEGIN; … COMMIT; is one step (one transaction); a statement outside a block runs alone',
  '(CREATE INDEX CONCURRENTLY, a batched UPDATE that commits as it goes).',
  'Then `keikaku rehash` signs the files in migrations.sum, and `keikaku check` lints them: a hazard it',
  'refuses is acknowledged with `-- keikaku:allow RULE` on the line above the statement, after review.',
  'Another phase: add 2_backfill.up.sql or 3_contract.up.sql (and its .down.sql) the same way.',
];

const header = (lines: readonly string[]) => `${lines.map((l) => (l ? `-- ${sqlComment(l)}` : '--')).join('\n')}\n`;

export const renderHandWritten = (meta: HandWrittenMeta): Map<string, string> => {
  const plan: PlanJson = {
    format: 'keikaku-plan/1',
    id: meta.id,
    parent: meta.parent,
    renames: [],
    strategy: 'phased',
    phases: [
      { name: 'expand', steps: [] },
      { name: 'backfill', steps: [] },
      { name: 'contract', steps: [] },
    ],
    handWritten: true,
  };
  const files = new Map<string, string>();
  files.set('plan.json', `${JSON.stringify(plan, null, 2)}\n`);
  files.set(
    'plan.md',
    [
      `# ${meta.id}`,
      '',
      `- parent: ${meta.parent ? markdownCode(meta.parent) : '(first migration)'}`,
      '- written by hand (`keikaku generate --empty`): its SQL files are the migration; plan.json lists no steps',
      '',
      '## What it does',
      '',
      'Describe the change for the reviewer: what it reads and writes, how long it holds which locks, how to undo it.',
      '',
    ].join('\n'),
  );
  const head = `${meta.id}: phase 1 (expand), written by hand`;
  files.set(phaseFile('expand', 'up'), header([head, '', ...HOW_TO_FILL]));
  files.set(phaseFile('expand', 'down'), header([head, 'downgrade: undoes what 1_expand.up.sql does, run by `keikaku down`.', 'Leave it without statements only if the up file changes nothing down needs to restore.']));
  return files;
};
