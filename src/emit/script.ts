/**
 * Turns ordered steps into a psql-runnable script. Consecutive transactional steps share one transaction, up to
 * `MAX_STATEMENTS_PER_TRANSACTION` statements; a step Postgres refuses inside a transaction block runs on its own
 * between them, and an isolated step (a validation scan) gets a transaction of its own.
 */
import type { Step } from '../model/plan.js';
import { describeChange } from '../model/describe.js';
import { sqlComment } from '../model/escape.js';

export type Direction = 'up' | 'down';

interface Block {
  readonly transactional: boolean;
  /** A step that must not share its transaction (see `Step.isolated`). */
  readonly isolated: boolean;
  readonly statements: string[];
  /** SQL statements in it (a step may have several). */
  count: number;
}

/**
 * Every object a transaction creates, alters or drops stays locked until it commits, and the server's lock table
 * is small: `max_locks_per_transaction` (64) × `max_connections` (100) slots by default, shared by every session.
 * The down of a 1,000-table migration in one transaction ran out of it ("out of shared memory"); a DROP TABLE
 * locks the table, its TOAST table and index, its indexes, its sequences and the tables its keys reference. So a
 * transaction closes after this many statements and the next steps open another (each is a step of the phase:
 * `apply` records it and resumes after it). No migration of a usual size comes near it.
 */
export const MAX_STATEMENTS_PER_TRANSACTION = 250;

const describe = (s: Step, direction: Direction, acknowledged: readonly string[] = []): string => {
  // The description holds names: escaped, a line break in one cannot end the comment and run the rest.
  const what = sqlComment(s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change));
  if (direction === 'down') return `-- undo: ${what}`;
  const hazards = s.hazards.map((h) => h.code).join(', ');
  const allow = acknowledged.length ? `\n-- keikaku:allow ${sqlComment(acknowledged.join(', '))} (allowed when this migration was generated)` : '';
  return `-- ${what}${hazards ? ` [${hazards}]` : ''}${allow}`;
};

/**
 * The up script runs each step's `sql` in order; the down script runs each step's `reverse` in the opposite
 * order, so each undo runs in exactly the state its step left behind.
 */
export const renderScript = (
  steps: readonly Step[],
  direction: Direction,
  header: readonly string[] = [],
  /** Hazards of up steps that were allowed explicitly: written as `-- keikaku:allow` above the step (for lint). */
  acknowledged: ReadonlyMap<Step, readonly string[]> = new Map(),
): string => {
  const ordered = direction === 'up' ? steps : [...steps].reverse();
  const blocks: Block[] = [];
  for (const s of ordered) {
    const statements = direction === 'up' ? s.sql : s.reverse;
    if (statements.length === 0) continue;
    const transactional = direction === 'up' ? s.transactional : s.reverseTransactional;
    const last = blocks[blocks.length - 1];
    const text = [describe(s, direction, acknowledged.get(s)), ...statements].join('\n');
    const isolated = s.isolated === true;
    const fits = last !== undefined && last.count + statements.length <= MAX_STATEMENTS_PER_TRANSACTION;
    if (transactional && !isolated && last?.transactional && !last.isolated && fits) {
      last.statements.push(text);
      last.count += statements.length;
    } else blocks.push({ transactional, isolated, statements: [text], count: statements.length });
  }
  const lines = header.map((h) => `-- ${sqlComment(h)}`);
  if (blocks.length === 0) return lines.length ? `${lines.join('\n')}\n` : '';
  // Function bodies are checked when called, not when created: objects they use may come later in the script.
  lines.push('SET check_function_bodies = off;', '');
  for (const b of blocks) {
    if (b.transactional) lines.push('BEGIN;', '', b.statements.join('\n\n'), '', 'COMMIT;', '');
    else lines.push(b.statements.join('\n\n'), '');
  }
  return lines.join('\n');
};
