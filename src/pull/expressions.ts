/**
 * SQL expressions as DSL code: `sql\`…\`` templates (with `${…}` for the declared relations a view reads, so the
 * loader orders it after them), and column / domain defaults written the way a person would: `.defaultNow()`,
 * `.default(0)`, `.default('active')`, `.default({ sync: true })` when Postgres prints exactly what that value
 * renders to, and `.default(sql\`…\`)` otherwise.
 */
import * as K from '../model/keys.js';
import { sqlTemplate, str, type TemplatePart } from './code.js';
import type { DeclContext } from './context.js';
import { printedIdent } from '../render/quote.js';
import { occurrences, readQualified } from './sql-text.js';
import type { TypeCode } from './types.js';

/** A relation (table or view) a piece of SQL may name, by its printed qualified name. */
export interface NamedRelation {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
}

/**
 * `sql\`text\``; each printed `schema.name` of `relations` becomes `${export}` (outside string literals and quoted
 * identifiers only, and only as a whole name).
 */
export const sqlCode = (ctx: DeclContext, text: string, relations: readonly NamedRelation[] = []): string => {
  const hits: { at: number; len: number; expr: string }[] = [];
  for (const r of relations) {
    const printed = `${printedIdent(r.schema)}.${printedIdent(r.name)}`;
    const name = ctx.scope.exportOf(r.key);
    if (name === undefined) continue;
    for (const at of occurrences(text, printed)) {
      const before = at === 0 ? ' ' : text[at - 1]!;
      const after = text[at + printed.length] ?? ' ';
      if (/[A-Za-z0-9_$."]/.test(before) || /[A-Za-z0-9_$"]/.test(after)) continue;
      if (after === '.' && !/^\.[A-Za-z_"]/.test(text.slice(at + printed.length, at + printed.length + 2))) continue;
      hits.push({ at, len: printed.length, expr: name });
      ctx.ref(r.key);
    }
  }
  hits.sort((a, b) => a.at - b.at);
  const parts: TemplatePart[] = [];
  let pos = 0;
  for (const h of hits) {
    if (h.at < pos) continue;
    parts.push({ text: text.slice(pos, h.at) }, { expr: h.expr });
    pos = h.at + h.len;
  }
  parts.push({ text: text.slice(pos) });
  ctx.dsl('sql');
  return sqlTemplate(parts);
};

/** jsonb's output form of a JSON value: keys by length then bytes, `": "` and `", "` separators. */
const jsonbText = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((v as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
};

/** A JS value written as TypeScript (JSON-like, single-quoted strings, bare keys where possible). */
export const jsValue = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(jsValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, x]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && k !== '__proto__' ? k : str(k)}: ${jsValue(x)}`).join(', ')} }`;
  }
  return typeof v === 'string' ? str(v) : JSON.stringify(v);
};

/** `'it''s'::text` → `it's` when the cast is to exactly `typeText`. */
const castLiteral = (text: string, typeText: string): string | undefined => {
  const m = /^'((?:[^']|'')*)'::(.+)$/s.exec(text);
  return m && m[2] === typeText ? m[1]!.replace(/''/g, "'") : undefined;
};

/** The sequence a `nextval('s.seq'::regclass)` default calls, when it is a declared sequence. */
const nextvalOf = (ctx: DeclContext, text: string): string | undefined => {
  const m = /^nextval\('((?:[^']|'')*)'::regclass\)$/.exec(text);
  if (!m) return undefined;
  const q = readQualified(m[1]!.replace(/''/g, "'"));
  if (!q || q.schema === null || q.rest !== '') return undefined;
  if (!ctx.schema.sequences.some((s) => s.schema === q.schema && s.name === q.name)) return undefined;
  return ctx.ref(K.sequenceKey(q.schema, q.name));
};

/** A default as a value for `.default(…)` or a domain's `default:` option. */
export const defaultValue = (ctx: DeclContext, text: string, type: TypeCode): string => {
  const seq = nextvalOf(ctx, text);
  if (seq) return `${ctx.dsl('nextval')}(${seq})`;
  if (type.dims === 0) {
    if (type.js === 'boolean' && (text === 'true' || text === 'false')) return text;
    if (type.js === 'number' && /^\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return text;
    if (type.js === 'string') {
      const s = castLiteral(text, type.base);
      if (s !== undefined && !s.includes('\\')) return str(s);
    }
    if (type.js === 'jsonb') {
      const s = castLiteral(text, 'jsonb');
      if (s !== undefined) {
        try {
          const v: unknown = JSON.parse(s);
          if (jsonbText(v) === s && v !== null) return jsValue(v);
        } catch {
          // not JSON as JS reads it: written as SQL below
        }
      }
    }
  }
  return sqlCode(ctx, text);
};

/** The modifier for a column default as Postgres prints it (`pg_get_expr`). */
export const defaultCode = (ctx: DeclContext, text: string, type: TypeCode): string =>
  text === 'now()' ? '.defaultNow()' : `.default(${defaultValue(ctx, text, type)})`;
