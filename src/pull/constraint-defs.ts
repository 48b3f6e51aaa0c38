/**
 * Constraint definitions as PostgreSQL prints them (`pg_get_constraintdef`) → their parts. Anything this does not
 * recognise is `undefined`: the caller reports it instead of writing a declaration that says something else.
 */
import { closingParen, findTop, identList, readQualified, splitTop, stripParens } from './sql-text.js';

export type Deferrable = false | 'immediate' | 'deferred';

export type ConstraintDef =
  | { readonly kind: 'primary'; readonly columns: readonly string[]; readonly deferrable: Deferrable }
  | { readonly kind: 'unique'; readonly columns: readonly string[]; readonly nullsNotDistinct: boolean; readonly deferrable: Deferrable }
  | {
      readonly kind: 'foreign';
      readonly columns: readonly string[];
      readonly refSchema: string;
      readonly refTable: string;
      readonly refColumns: readonly string[];
      readonly match: 'full' | null;
      readonly onUpdate: string | null;
      readonly onDelete: string | null;
      readonly deferrable: Deferrable;
      readonly notValid: boolean;
    }
  | { readonly kind: 'check'; readonly expression: string; readonly noInherit: boolean; readonly notValid: boolean }
  | {
      readonly kind: 'exclude';
      readonly using: string;
      /** Each element's text and operator. */
      readonly elements: readonly { readonly key: string; readonly operator: string }[];
      readonly where: string | null;
      readonly deferrable: Deferrable;
    };

/** A parenthesized list at the start of `s` and the rest. */
const parenthesized = (s: string): { inner: string; rest: string } | undefined => {
  const t = s.trimStart();
  if (!t.startsWith('(')) return undefined;
  const end = closingParen(t, 0);
  return end < 0 ? undefined : { inner: t.slice(1, end), rest: t.slice(end + 1) };
};

/** The DEFERRABLE clause, which must be all that is left. */
const deferrableTail = (rest: string): Deferrable | undefined => {
  const t = rest.trim();
  if (t === '') return false;
  if (t === 'DEFERRABLE') return 'immediate';
  if (t === 'DEFERRABLE INITIALLY DEFERRED') return 'deferred';
  return undefined;
};

const ACTIONS = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'];

export const parseConstraintDef = (def: string): ConstraintDef | undefined => {
  let m = /^(PRIMARY KEY|UNIQUE(?: NULLS NOT DISTINCT)?) /.exec(def);
  if (m) {
    const p = parenthesized(def.slice(m[0].length));
    const columns = p && identList(p.inner);
    const deferrable = p && deferrableTail(p.rest);
    if (!columns || deferrable === undefined) return undefined;
    return m[1] === 'PRIMARY KEY'
      ? { kind: 'primary', columns, deferrable }
      : { kind: 'unique', columns, nullsNotDistinct: m[1]!.endsWith('DISTINCT'), deferrable };
  }
  if (def.startsWith('FOREIGN KEY ')) {
    const p = parenthesized(def.slice('FOREIGN KEY '.length));
    const columns = p && identList(p.inner);
    if (!p || !columns) return undefined;
    const r = /^\s*REFERENCES /.exec(p.rest);
    const q = r ? readQualified(p.rest.slice(r[0].length)) : undefined;
    if (!q || q.schema === null) return undefined;
    const rp = parenthesized(q.rest);
    const refColumns = rp && identList(rp.inner);
    if (!rp || !refColumns) return undefined;
    let tail = rp.rest.trim();
    let match: 'full' | null = null;
    let onUpdate: string | null = null;
    let onDelete: string | null = null;
    let notValid = false;
    if (tail.startsWith('MATCH FULL')) {
      match = 'full';
      tail = tail.slice('MATCH FULL'.length).trim();
    }
    for (const [word, set] of [
      ['ON UPDATE ', (a: string) => (onUpdate = a)],
      ['ON DELETE ', (a: string) => (onDelete = a)],
    ] as const) {
      if (!tail.startsWith(word)) continue;
      const action = ACTIONS.find((a) => tail.startsWith(a, word.length));
      if (!action) return undefined;
      set(action.toLowerCase());
      tail = tail.slice(word.length + action.length).trim();
      if (tail.startsWith('(')) return undefined; // ON DELETE SET NULL (columns): not in the DSL
    }
    if (tail.endsWith('NOT VALID')) {
      notValid = true;
      tail = tail.slice(0, -'NOT VALID'.length).trim();
    }
    const deferrable = deferrableTail(tail);
    if (deferrable === undefined) return undefined;
    return { kind: 'foreign', columns, refSchema: q.schema, refTable: q.name, refColumns, match, onUpdate, onDelete, deferrable, notValid };
  }
  if (def.startsWith('CHECK ')) {
    const p = parenthesized(def.slice('CHECK '.length));
    if (!p) return undefined;
    let tail = p.rest.trim();
    const notValid = tail.endsWith('NOT VALID');
    if (notValid) tail = tail.slice(0, -'NOT VALID'.length).trim();
    const noInherit = tail === 'NO INHERIT';
    if (tail !== '' && !noInherit) return undefined;
    return { kind: 'check', expression: stripParens(p.inner), noInherit, notValid };
  }
  m = /^EXCLUDE USING (\w+) /.exec(def);
  if (m) {
    const p = parenthesized(def.slice(m[0].length));
    if (!p) return undefined;
    const elements: { key: string; operator: string }[] = [];
    for (const part of splitTop(p.inner)) {
      const at = findTop(part, 'WITH');
      if (at < 0) return undefined;
      elements.push({ key: part.slice(0, at).trim(), operator: part.slice(at + 'WITH'.length).trim() });
    }
    let tail = p.rest.trim();
    let where: string | null = null;
    const w = findTop(tail, 'WHERE');
    if (w >= 0) {
      const wp = parenthesized(tail.slice(w + 'WHERE'.length));
      if (!wp) return undefined;
      where = stripParens(wp.inner);
      tail = (tail.slice(0, w) + wp.rest).trim();
    }
    const deferrable = deferrableTail(tail);
    if (deferrable === undefined) return undefined;
    return { kind: 'exclude', using: m[1]!, elements, where, deferrable };
  }
  return undefined;
};
