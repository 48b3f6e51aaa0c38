/**
 * A phase file read as what `apply` runs: the checksummed `N_phase.up.sql` / `.down.sql` reviewers read, split
 * by Postgres's own parser into steps. A `BEGIN; … COMMIT;` block is one step (one transaction); a statement
 * outside any block (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE … ADD VALUE`, a `DO` block that commits in
 * batches) is a step of its own; a session `SET` outside a block is a setting, replayed on resume, not a step.
 */
import { UserError } from '../db/errors.js';
import { splitSql, type SqlStatement } from '../db/split-sql.js';

export type ScriptItem =
  /** Session settings (`SET check_function_bodies = off`): run again whenever the file runs or resumes. */
  | { readonly kind: 'setting'; readonly statement: SqlStatement }
  /** The statements of one `BEGIN … COMMIT` block, without those two. */
  | {
      readonly kind: 'transaction';
      readonly index: number;
      readonly line: number;
      readonly statements: readonly SqlStatement[];
      /** The `-- …` comment keikaku writes above a step (what it changes, its hazards), when there is one. */
      readonly comment?: string;
    }
  /** One statement sent alone, outside a transaction block. */
  | { readonly kind: 'alone'; readonly index: number; readonly line: number; readonly statement: SqlStatement; readonly comment?: string };

export type StepItem = Extract<ScriptItem, { kind: 'transaction' | 'alone' }>;

export interface PhaseScript {
  readonly file: string;
  readonly items: readonly ScriptItem[];
  /** The steps, in order; `index` counts from 0. */
  readonly steps: readonly StepItem[];
}

const transactionVerb = (s: SqlStatement): 'begin' | 'commit' | 'rollback' | 'other' => {
  const word = /^\s*(\w+)/.exec(s.text.replace(/^(\s*--[^\n]*\n|\s*\/\*[\s\S]*?\*\/)*/, ''))?.[1]?.toLowerCase();
  if (word === 'begin' || word === 'start') return 'begin';
  if (word === 'commit' || word === 'end') return 'commit';
  if (word === 'rollback' || word === 'abort') return 'rollback';
  return 'other';
};

const isSessionSetting = (s: SqlStatement): boolean => s.kind === 'VariableSetStmt' && !s.runsAlone;

/**
 * Splits a phase file into settings and steps.
 * @param file names the file in errors (`FILE:LINE: …`).
 * @throws UserError (exit 1) for a block that is not closed, a COMMIT without BEGIN, a ROLLBACK or a savepoint:
 *   `apply` owns the transactions of the file and runs only what it would commit.
 */
export const readPhaseScript = (sql: string, file: string): Promise<PhaseScript> => {
  // The preview and the run read the same files: parse each once per process.
  const key = `${file}\u0000${sql}`;
  let script = parsed.get(key);
  if (!script) {
    script = parsePhaseScript(sql, file);
    parsed.set(key, script);
    script.catch(() => parsed.delete(key));
  }
  return script;
};

const parsed = new Map<string, Promise<PhaseScript>>();

const parsePhaseScript = async (sql: string, file: string): Promise<PhaseScript> => {
  const statements = await splitSql(sql, file);
  const lines = sql.split(/\r?\n/);
  /** The comment right above the first statement of a step (past `-- keikaku:allow …` acknowledgements). */
  const commentAbove = (s: SqlStatement): { comment?: string } => {
    for (let i = s.line - 2; i >= 0; i--) {
      const m = /^\s*--\s*(.+?)\s*$/.exec(lines[i] ?? '');
      if (!m) return {};
      if (!/^keikaku:allow\b/.test(m[1]!)) return { comment: m[1]! };
    }
    return {};
  };
  const items: ScriptItem[] = [];
  const steps: StepItem[] = [];
  let open: { line: number; statements: SqlStatement[] } | undefined;
  const push = (item: StepItem) => {
    items.push(item);
    steps.push(item);
  };
  for (const s of statements) {
    if (s.kind === 'TransactionStmt') {
      const verb = transactionVerb(s);
      if (verb === 'begin' && !open) open = { line: s.line, statements: [] };
      else if (verb === 'commit' && open) {
        const first = open.statements[0];
        if (first) push({ kind: 'transaction', index: steps.length, line: open.line, statements: open.statements, ...commentAbove(first) });
        open = undefined;
      } else
        throw new UserError(
          `${file}:${s.line}: ${s.text.split('\n')[0]}: apply runs each BEGIN … COMMIT block as one transaction; ` +
            'nested blocks, ROLLBACK and savepoints are not supported in a migration file',
        );
      continue;
    }
    if (open) open.statements.push(s);
    else if (isSessionSetting(s)) items.push({ kind: 'setting', statement: s });
    else push({ kind: 'alone', index: steps.length, line: s.line, statement: s, ...commentAbove(s) });
  }
  if (open) throw new UserError(`${file}:${open.line}: BEGIN without COMMIT: the block would never be committed`);
  return { file, items, steps };
};

/** A one-line description of a step for messages: its first SQL line, without the comment keikaku puts above it. */
export const stepSummary = (step: StepItem): string => {
  const first = step.kind === 'alone' ? step.statement : step.statements[0]!;
  const line = first.text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('--'));
  const text = (line ?? first.text).replace(/\s+/g, ' ');
  const more = step.kind === 'transaction' && step.statements.length > 1 ? ` (+${step.statements.length - 1} more)` : '';
  return `${text.length > 100 ? `${text.slice(0, 97)}...` : text}${more}`;
};

/** What a step does, for progress lines: keikaku's comment above it when there is one, else its SQL. */
export const stepLabel = (step: StepItem): string => {
  if (!step.comment) return stepSummary(step);
  const n = step.kind === 'transaction' ? step.statements.length : 1;
  return n > 1 ? `${step.comment} (+${n - 1} more statement${n > 2 ? 's' : ''} in this transaction)` : step.comment;
};
