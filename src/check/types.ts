/**
 * What `check` reports: findings from a closed rule catalog, each with the place a reviewer should look, and the
 * exit code DESIGN §4 gives the whole (0 in sync, 2 differences, 3 refused).
 */

/** Where a finding points: a file relative to the repository root (`/`-separated), 1-based line and column. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** The closed catalog of check rules. Ids are stable: CI annotations, SARIF rule ids and docs use them. */
export const CHECK_RULES = {
  'history-not-intact': {
    summary: 'A migration file was edited, added or removed after it was generated (migrations.sum disagrees).',
    help: 'Restore the generated files or regenerate the migration; for a deliberate edit of a migration no database has run, `keikaku rehash` signs it.',
  },
  'history-not-linear': {
    summary: 'The migration history is not one line: two migrations follow the same parent, or a parent is missing.',
    help: 'Run `keikaku generate --rebase` to re-plan the newer branch on top of the other.',
  },
  'ungenerated-change': {
    summary: 'schema/ declares a change that no migration holds yet.',
    help: 'Run `keikaku generate <name>` and commit the new migration.',
  },
  'head-file': {
    summary: 'generated/head.json does not record the schema the migration history makes (stale, or edited by hand).',
    help: 'Delete generated/head.json and run `keikaku generate`: it replays the history and writes the file again (no migration when schema/ has no change); commit it.',
  },
  'pending-migration': {
    summary: 'A migration phase is not applied to the database.',
    help: 'Run `keikaku apply` against the database.',
  },
  'migration-failed': {
    summary: 'A migration phase failed or is still running on the database, per its journal.',
    help: 'Run `keikaku status` to see the error, fix it, and run `keikaku apply` again.',
  },
  'drift-added': {
    summary: 'The database has an object that the migrations do not create (added by hand).',
    help: 'Drop it with the SQL shown, or declare it in schema/ and generate a migration for it.',
  },
  'drift-removed': {
    summary: 'The database lacks an object that the migrations create (removed by hand).',
    help: 'Create it again with the SQL shown.',
  },
  'drift-changed': {
    summary: 'An object of the database differs from what the migrations make of it (changed by hand).',
    help: 'Change it back with the SQL shown, or declare the change in schema/ and generate a migration for it.',
  },
  'lint-refused': {
    summary: 'A statement a person wrote (a hand-written migration, a hand edit) carries a hazard that is not allowed.',
    help: 'Make the statement safe (lint shows how), or acknowledge the reviewed hazard with `-- keikaku:allow RULE` on the line above it.',
  },
  'plan-md-edited': {
    summary: "A migration's plan.md was edited since it was signed (a reviewer's note); apply does not mind.",
    help: 'Run `keikaku rehash` to sign it in migrations.sum.',
  },
  lint: {
    summary: 'A statement of a migration file carries a hazard (keikaku lint).',
    help: 'Review the statement; hazards of generated steps are also listed in the migration\'s plan.md.',
  },
} as const satisfies Record<string, { readonly summary: string; readonly help: string }>;

export type CheckRule = keyof typeof CHECK_RULES;

export type FindingLevel = 'error' | 'warning';

export type DriftKind = 'added' | 'removed' | 'changed';

export interface Finding {
  readonly rule: CheckRule;
  readonly level: FindingLevel;
  /** One line (without the location): what is wrong and the object it is about. */
  readonly message: string;
  /** The object a schema finding is about, as `kind schema.name[.part]`, e.g. `column public.offices.note`. */
  readonly object?: string;
  /** SQL that brings the database back to the migrations (drift), in order. */
  readonly fix?: readonly string[];
  readonly location?: Location;
}

/** The three parts of the gate; `skipped` when a part could not or need not run. */
export type SectionState = 'ok' | 'failed' | 'skipped';

export interface CheckReport {
  /** The database checked, password masked; absent without a URL. */
  readonly target?: string;
  /** How live and migration schemas were brought to one PostgreSQL version before comparing them. */
  readonly normalization?: string;
  readonly migrations: number;
  readonly sections: {
    readonly history: SectionState;
    readonly schema: SectionState;
    readonly database: SectionState;
  };
  readonly findings: readonly Finding[];
  /** 0 ok, 2 differences (schema/ or database), 3 refused (the history is not intact or not linear). */
  readonly exitCode: 0 | 2 | 3;
}
