/** `keikaku lint FILE…`: the hazards of hand-written migration SQL, as text or JSON. */
import { terminalText as t } from '../model/escape.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../db/errors.js';
import { lintSql, refusing, ruleById, RULES, type LintFinding } from '../lint/index.js';
import { HAZARD_CODES, type HazardCode } from '../model/hazard.js';
import type { CommandOutput } from './options.js';

export interface LintArgs {
  readonly files: readonly string[];
  readonly format: 'text' | 'json';
  /** Rule ids acknowledged in every file (comma-separated values allowed). */
  readonly allow: readonly string[];
  /** Hazard codes acknowledged in every file (comma-separated values allowed). */
  readonly allowHazards: readonly string[];
  readonly assumeInTransaction: boolean;
  readonly appliedByKeikaku: boolean;
  readonly postgresVersion?: number | undefined;
  /** SQL of what exists already (e.g. generated/schema.sql), for column types. */
  readonly schema?: string | undefined;
  readonly listRules: boolean;
}

const readText = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UserError(`cannot read ${file}: ${reason}`, 1, { cause: error });
  }
};

/** The files named, a directory standing for every `.sql` file under it (sorted, recursively). */
const expand = async (paths: readonly string[]): Promise<string[]> => {
  const out: string[] = [];
  for (const path of paths) {
    const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
    if (!isDir) {
      out.push(path);
      continue;
    }
    const entries = (await readdir(path, { recursive: true })).filter((e) => e.endsWith('.sql')).sort();
    if (entries.length === 0) throw new UserError(`${path}: no .sql files in this directory`);
    out.push(...entries.map((e) => join(path, e)));
  }
  return out;
};

const rulesText = (): string => {
  const width = Math.max(...RULES.map((r) => r.id.length));
  return `${RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.hazard.padEnd(21)}  ${r.description}`).join('\n')}\n`;
};

const findingText = (f: LintFinding): string =>
  `${t(f.file)}:${f.line}:${f.col}: ${f.severity} ${f.rule} [${f.hazard}]${f.allowed ? ' (allowed)' : ''}: ${t(f.message)}\n  safe: ${t(f.rewrite)}`;

export const runLint = async (args: LintArgs): Promise<CommandOutput> => {
  if (args.listRules) {
    if (args.format === 'json') {
      const rules = RULES.map(({ id, hazard, severity, description, rewrite }) => ({ id, hazard, severity, description, rewrite }));
      return { stdout: `${JSON.stringify({ rules }, null, 2)}\n`, exitCode: 0 };
    }
    return { stdout: rulesText(), exitCode: 0 };
  }
  if (args.files.length === 0) throw new UserError('name at least one SQL file to lint (or --list-rules)');
  const allow = args.allow.flatMap((a) => a.split(',')).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const unknown = allow.filter((id) => !ruleById(id));
  if (unknown.length > 0) throw new UserError(`--allow: no rule named ${unknown.join(', ')} (see keikaku lint --list-rules)`);
  const hazards = args.allowHazards.flatMap((a) => a.split(',')).map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  const notHazards = hazards.filter((h) => !(HAZARD_CODES as readonly string[]).includes(h));
  if (notHazards.length > 0) throw new UserError(`--allow-hazards: ${notHazards.join(', ')} is not a hazard code (${HAZARD_CODES.join(', ')})`);
  const context = args.schema === undefined ? undefined : await readText(args.schema);
  const files = await expand(args.files);
  const findings: LintFinding[] = [];
  for (const file of files) {
    findings.push(
      ...(await lintSql(await readText(file), file, {
        allow,
        allowHazards: hazards as HazardCode[],
        assumeInTransaction: args.assumeInTransaction,
        appliedByKeikaku: args.appliedByKeikaku,
        ...(args.postgresVersion !== undefined ? { postgresVersion: args.postgresVersion } : {}),
        ...(context !== undefined ? { context, contextName: args.schema } : {}),
      })),
    );
  }
  const refused = refusing(findings);
  const exitCode = refused.length > 0 ? 3 : 0;
  const summary = {
    files: files.length,
    findings: findings.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    allowed: findings.filter((f) => f.allowed).length,
    refused: refused.length,
  };
  if (args.format === 'json') {
    return { stdout: `${JSON.stringify({ format: 'keikaku-lint/1', summary, findings }, null, 2)}\n`, exitCode };
  }
  if (findings.length === 0) return { stdout: `No findings in ${summary.files} file(s).\n`, exitCode };
  const tail =
    `${summary.findings} finding(s) in ${summary.files} file(s): ${summary.errors} error(s), ${summary.warnings} warning(s), ` +
    `${summary.allowed} allowed; ${refused.length > 0 ? `${refused.length} error(s) not allowed: refused` : 'nothing refused'}.`;
  return { stdout: `${findings.map(findingText).join('\n')}\n${tail}\n`, exitCode };
};
