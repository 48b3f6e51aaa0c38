import type { Site } from './site.js';

/** One statement of the declared schema's DDL, with the declaration it came from. */
export interface DdlStatement {
  /** One SQL statement, ending in `;`. */
  readonly sql: string;
  /** What it creates or changes, for messages: `table public.staffs`. */
  readonly object: string;
  readonly site: Site;
  /** Ranges of `sql` (string indexes, end exclusive) written from a more precise site: a column of CREATE TABLE. */
  readonly spans: readonly { readonly start: number; readonly end: number; readonly site: Site }[];
  /**
   * A `CREATE OR REPLACE FUNCTION`/`PROCEDURE`. The script creates routines before the tables their bodies may
   * read (bodies are not checked at creation when `check_function_bodies` is off); running these statements again
   * at the end with the check on validates SQL bodies against the whole schema.
   */
  readonly routine?: boolean;
  /**
   * The declaration it came from, as `[kind, schema, name]` JSON (`unitKey`): every statement of one exported
   * table, view, type, … shares it. Incremental normalization (`load/incremental.ts`) works in these units.
   */
  readonly unit?: string;
  /**
   * The stage it was rendered for (`PHASES`); none for statements not rendered from declarations. An incremental
   * normalization creates a table that a recreated unit only needs with the statements of some stages alone.
   */
  readonly phase?: Phase;
}

/** The unit of a declaration: its kind and qualified name (overloaded functions share one). */
export const unitKey = (data: { readonly kind: string }): string => {
  const named = data as { readonly kind: string; readonly schema?: string; readonly name?: string };
  return JSON.stringify([named.kind, named.schema ?? '', named.name ?? '']);
};

/**
 * The stages of the script, in the order they run: each only uses what earlier ones created. Functions come before
 * tables (defaults and checks may call them; bodies are not checked at creation) unless their signature names a
 * table (then after the tables) or a view (then among the views, ordered by what each needs); foreign keys come
 * after every table and index, so tables may reference each other in any order and a key may reference a
 * unique index; domain CHECKs come after every function.
 */
export const PHASES = [
  'schema', 'extension', 'type', 'sequence', 'function', 'table', 'owned-by', 'index', 'foreign-key', 'late-function',
  'view', 'view-index', 'domain-check', 'trigger', 'policy', 'comment', 'grant',
] as const;
export type Phase = (typeof PHASES)[number];

/** A statement before ordering: its stage, and the declarations it creates and needs (for order within a stage). */
export interface Emitted {
  readonly phase: Phase;
  readonly statement: DdlStatement;
  readonly creates?: object;
  readonly needs?: readonly object[];
}

export const stmt = (sql: string, object: string, site: Site, spans: DdlStatement['spans'] = []): DdlStatement => ({
  sql: sql.endsWith(';') ? sql : `${sql};`,
  object,
  site,
  spans,
});

/** The site of the text at a 1-based code point position of a statement (Postgres's error position). */
export const siteAt = (s: DdlStatement, position: number | undefined): Site => {
  if (position === undefined) return s.site;
  const index = Array.from(s.sql).slice(0, position - 1).join('').length;
  return s.spans.find((x) => index >= x.start && index < x.end)?.site ?? s.site;
};

/** The statements as one script, in order. */
export const scriptText = (statements: readonly DdlStatement[]): string => statements.map((s) => s.sql).join('\n\n') + '\n';
