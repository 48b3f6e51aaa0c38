/**
 * Index definitions (`pg_get_indexdef`) and index / exclusion keys → their parts: `lower(name) text_pattern_ops
 * DESC` is the expression `lower(name)` with an opclass and an order.
 */
import { closingParen, findTop, identList, readIdent, readQualified, splitTop, stripParens } from './sql-text.js';

export interface KeyElement {
  /** A column of the table, or null for an expression. */
  readonly column: string | null;
  readonly expression: string | null;
  readonly collation: string | null;
  readonly opclass: string | null;
  readonly order: 'ASC' | 'DESC' | null;
  readonly nulls: 'FIRST' | 'LAST' | null;
}

export interface IndexDef {
  readonly unique: boolean;
  readonly using: string;
  readonly keys: readonly KeyElement[];
  readonly include: readonly string[];
  readonly nullsNotDistinct: boolean;
  readonly with: readonly (readonly [string, string])[];
  readonly where: string | null;
}

/** A qualified or quoted name as printed (`public.gin_trgm_ops`, `"C"`), taken whole from the start of `s`. */
const nameText = (s: string): { text: string; rest: string } | undefined => {
  const q = readQualified(s);
  if (!q) return undefined;
  const t = s.trimStart();
  return { text: t.slice(0, t.length - q.rest.length), rest: q.rest };
};

export const parseKeyElement = (text: string): KeyElement | undefined => {
  let rest = text.trim();
  let column: string | null = null;
  let expression: string | null = null;
  if (rest.startsWith('(')) {
    const end = closingParen(rest, 0);
    if (end < 0) return undefined;
    expression = stripParens(rest.slice(0, end + 1));
    rest = rest.slice(end + 1);
  } else {
    const n = nameText(rest);
    if (!n) return undefined;
    if (n.rest.startsWith('(')) {
      const end = closingParen(n.rest, 0);
      if (end < 0) return undefined;
      expression = n.text + n.rest.slice(0, end + 1);
      rest = n.rest.slice(end + 1);
    } else {
      const id = readIdent(rest)!;
      if (id.rest.startsWith('.')) return undefined;
      column = id.name;
      rest = id.rest;
    }
  }
  let collation: string | null = null;
  let opclass: string | null = null;
  let order: 'ASC' | 'DESC' | null = null;
  let nulls: 'FIRST' | 'LAST' | null = null;
  rest = rest.trim();
  if (rest.startsWith('COLLATE ')) {
    const n = nameText(rest.slice('COLLATE '.length));
    if (!n) return undefined;
    collation = n.text;
    rest = n.rest.trim();
  }
  if (rest !== '' && !/^(ASC|DESC|NULLS)\b/.test(rest)) {
    const n = nameText(rest);
    if (!n) return undefined;
    opclass = n.text;
    rest = n.rest.trim();
  }
  const o = /^(ASC|DESC)\b/.exec(rest);
  if (o) {
    order = o[1] as 'ASC' | 'DESC';
    rest = rest.slice(o[0].length).trim();
  }
  const nl = /^NULLS (FIRST|LAST)\b/.exec(rest);
  if (nl) {
    nulls = nl[1] as 'FIRST' | 'LAST';
    rest = rest.slice(nl[0].length).trim();
  }
  if (rest !== '') return undefined;
  return { column, expression, collation, opclass, order, nulls };
};

/** `CREATE [UNIQUE] INDEX name ON [ONLY] s.t USING m (keys) [INCLUDE (…)] [NULLS NOT DISTINCT] [WITH (…)] [WHERE …]`. */
export const parseIndexDef = (def: string): IndexDef | undefined => {
  const m = /^CREATE (UNIQUE )?INDEX /.exec(def);
  if (!m) return undefined;
  const on = findTop(def, 'USING');
  if (on < 0) return undefined;
  const after = def.slice(on + 'USING'.length).trim();
  const method = readIdent(after);
  if (!method || !method.rest.trimStart().startsWith('(')) return undefined;
  const body = method.rest.trimStart();
  const end = closingParen(body, 0);
  if (end < 0) return undefined;
  const keys: KeyElement[] = [];
  for (const k of splitTop(body.slice(1, end))) {
    const e = parseKeyElement(k);
    if (!e) return undefined;
    keys.push(e);
  }
  let rest = body.slice(end + 1).trim();
  let include: string[] = [];
  let nullsNotDistinct = false;
  let withOptions: (readonly [string, string])[] = [];
  let where: string | null = null;
  if (rest.startsWith('INCLUDE (')) {
    const e = closingParen(rest, 'INCLUDE '.length);
    const cols = identList(rest.slice('INCLUDE ('.length, e));
    if (!cols) return undefined;
    include = cols;
    rest = rest.slice(e + 1).trim();
  }
  if (rest.startsWith('NULLS NOT DISTINCT')) {
    nullsNotDistinct = true;
    rest = rest.slice('NULLS NOT DISTINCT'.length).trim();
  }
  if (rest.startsWith('WITH (')) {
    const e = closingParen(rest, 'WITH '.length);
    withOptions = splitTop(rest.slice('WITH ('.length, e)).map((o) => {
      const eq = o.indexOf('=');
      return [o.slice(0, eq).trim(), o.slice(eq + 1).trim().replace(/^'(.*)'$/s, '$1').replace(/''/g, "'")] as const;
    });
    rest = rest.slice(e + 1).trim();
  }
  if (rest.startsWith('WHERE ')) {
    where = stripParens(rest.slice('WHERE '.length));
    rest = '';
  }
  if (rest !== '') return undefined;
  return { unique: m[1] !== undefined, using: method.name, keys, include, nullsNotDistinct, with: withOptions, where };
};
