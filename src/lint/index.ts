/**
 * `lint`: the hazards of hand-written (or hand-edited) migration SQL. The file is parsed with PostgreSQL's own
 * parser (libpg-query); each statement is checked by every rule against what the statements before it did (a table
 * created earlier in the file is new: nothing reads it yet). Entry point: `lintSql`.
 */
import { parseSqlScript } from '../db/split-sql.js';
import { allowsPerStatement } from './allow.js';
import { existingAccessExclusive } from './locks.js';
import { positions } from './position.js';
import { RULES } from './rules/index.js';
import { FileTracker } from './state.js';
import type { LintFinding, LintOptions, LintRule, StatementContext } from './types.js';

export type { LintFinding, LintOptions, LintRule, Severity } from './types.js';
export { RULES } from './rules/index.js';

/** The oldest PostgreSQL major version keikaku supports (DESIGN §1). */
export const DEFAULT_POSTGRES_VERSION = 13;

/**
 * Lints one SQL file. `file` names it in findings and errors. Findings come in file order; those acknowledged by
 * a `-- keikaku:allow RULE` comment above their statement, or by `options.allow`, are kept with `allowed: true`.
 * @throws SqlFileError (a UserError, exit 1) `FILE:LINE: ERROR: syntax error …` when the file does not parse.
 */
const parsedContexts = new Map<string, ReturnType<typeof parseSqlScript>>();

/** A context script parsed once per process (a history's up files are the context of every later file). */
const parsedContext = (text: string, name: string): ReturnType<typeof parseSqlScript> => {
  let parsed = parsedContexts.get(text);
  if (!parsed) {
    parsed = parseSqlScript(text, name);
    parsed.catch(() => parsedContexts.delete(text));
    parsedContexts.set(text, parsed);
  }
  return parsed;
};

export const lintSql = async (text: string, file: string, options: LintOptions = {}): Promise<LintFinding[]> => {
  const { source, statements } = await parseSqlScript(text, file);
  const tracker = new FileTracker(options.assumeInTransaction ?? false);
  for (const text of [...(options.contextFiles ?? []), ...(options.context ? [options.context] : [])]) {
    const context = await parsedContext(text, options.contextName ?? `${file} (context)`);
    for (const s of context.statements) tracker.learn(s);
  }
  const pos = positions(source);
  const allows = allowsPerStatement(source, statements, pos);
  const globallyAllowed = new Set((options.allow ?? []).map((id) => id.toLowerCase()));
  const allowedHazards = new Set(options.allowHazards ?? []);
  const resolved: StatementContext['options'] = {
    assumeInTransaction: options.assumeInTransaction ?? false,
    appliedByKeikaku: options.appliedByKeikaku ?? false,
    postgresVersion: options.postgresVersion ?? DEFAULT_POSTGRES_VERSION,
  };
  const findings: LintFinding[] = [];
  statements.forEach((statement, i) => {
    tracker.enter();
    const ctx: StatementContext = { statement, state: tracker, options: resolved };
    for (const rule of RULES) {
      for (const hit of rule.check(ctx)) {
        const at = pos.at(hit.location !== undefined && hit.location >= statement.start ? hit.location : statement.start);
        findings.push({
          file,
          line: at.line,
          col: at.col,
          rule: rule.id,
          hazard: rule.hazard,
          severity: rule.severity,
          message: hit.message,
          rewrite: hit.rewrite ?? rule.rewrite,
          allowed: globallyAllowed.has(rule.id) || allowedHazards.has(rule.hazard) || allows[i]!.has(rule.id) || allows[i]!.has(rule.hazard.toLowerCase()),
        });
      }
    }
    tracker.advance(statement, existingAccessExclusive(statement, tracker).length > 0);
  });
  return findings.sort((a, b) => a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
};

/** The rule with this id, if any (for validating `--allow`). */
export const ruleById = (id: string): LintRule | undefined => RULES.find((r) => r.id === id);

/** Findings that refuse the file: error severity, not allowed. */
export const refusing = (findings: readonly LintFinding[]): LintFinding[] =>
  findings.filter((f) => f.severity === 'error' && !f.allowed);
