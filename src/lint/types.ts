/** The vocabulary of `lint`: rules, findings, options. */
import type { HazardCode } from '../model/hazard.js';
import type { ParsedStatement } from '../db/split-sql.js';
import type { FileState } from './state.js';

/** `error` findings refuse (exit 3) unless allowed; `warning` findings are reported only. */
export type Severity = 'error' | 'warning';

/** One hazard found in one statement. */
export interface LintFinding {
  /** The file as the caller named it. */
  readonly file: string;
  /** 1-based line and column (in characters) of the construct the finding is about. */
  readonly line: number;
  readonly col: number;
  /** Rule id, e.g. `create-index-concurrently`. */
  readonly rule: string;
  readonly hazard: HazardCode;
  readonly severity: Severity;
  /** What is wrong with this statement, in one sentence. */
  readonly message: string;
  /** The safe way to do the same thing. */
  readonly rewrite: string;
  /** Acknowledged by a `-- keikaku:allow RULE` comment above the statement, or by `allow` / `allowHazards`. */
  readonly allowed: boolean;
}

/** How the linted file will run; each option changes which statements are hazardous. */
export interface LintOptions {
  /** Rule ids acknowledged for every statement of the file (the CLI's `--allow`). */
  readonly allow?: readonly string[];
  /** Hazard codes acknowledged for every statement (the CLI's `--allow-hazards`, as for generate and apply). */
  readonly allowHazards?: readonly HazardCode[];
  /**
   * The file runs inside one transaction even without BEGIN (a tool that wraps each migration). Default false:
   * as psql runs it, every statement outside BEGIN … COMMIT commits on its own.
   */
  readonly assumeInTransaction?: boolean;
  /**
   * The file is applied by `keikaku apply`, which sets `lock_timeout` on every DDL step itself (DESIGN §7), so a
   * missing `SET lock_timeout` is not a hazard. Default false.
   */
  readonly appliedByKeikaku?: boolean;
  /** The oldest PostgreSQL major version the file must run on (default 13, the oldest keikaku supports). */
  readonly postgresVersion?: number;
  /**
   * SQL describing what already exists (e.g. `generated/schema.sql`): read for column types and enum labels only,
   * never linted. Without it, a table not created in the file is an existing (filled) table of unknown shape.
   */
  readonly context?: string;
  /**
   * Context given as several scripts in order (a migration history's up files): each is parsed once per process
   * and remembered, so linting every file of a long history with all earlier ones as context stays linear.
   */
  readonly contextFiles?: readonly string[];
  /** Names the context SQL in syntax errors (default: `FILE (context)`). */
  readonly contextName?: string;
}

/** What a rule sees: one statement, and what the statements before it did. */
export interface StatementContext {
  readonly statement: ParsedStatement;
  /** The file's state before this statement. */
  readonly state: FileState;
  readonly options: Required<Omit<LintOptions, 'context' | 'contextFiles' | 'contextName' | 'allow' | 'allowHazards'>>;
}

/** A rule's report about one statement; `location` (a byte offset) defaults to the statement's start. */
export interface RuleHit {
  readonly location?: number | undefined;
  readonly message: string;
  /** A rewrite specific to this statement; the rule's general `rewrite` otherwise. */
  readonly rewrite?: string;
}

/** A lint rule: one hazard of hand-written migration SQL. */
export interface LintRule {
  /** Stable kebab-case id, used in `-- keikaku:allow` and `--allow`. */
  readonly id: string;
  readonly hazard: HazardCode;
  readonly severity: Severity;
  /** One line for the rules table. */
  readonly description: string;
  /** The safe rewrite, in general terms. */
  readonly rewrite: string;
  check(ctx: StatementContext): readonly RuleHit[];
}
