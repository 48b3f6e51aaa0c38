/** Indexes of a table → `index('name').using('gin').on(t.settings)` in its extras. */
import { str } from './code.js';
import { tableParts } from './context.js';
import { sqlCode } from './expressions.js';
import { parseIndexDef, parseKeyElement } from './index-defs.js';
import { withOptions } from './table.js';
import { colRef, type TableScope } from './table.js';

/** A column of the table, its own or inherited from a parent table. */
const hasColumn = (s: TableScope, column: string): boolean => s.keys.has(column) || s.info.inheritedFrom(s.key, column) !== undefined;

/** One index or exclusion key: `t.name`, `t.name.op('text_pattern_ops').desc()`, `sql\`lower(name)\``. */
export const keyCode = (s: TableScope, text: string): string | undefined => {
  const e = parseKeyElement(text);
  if (!e) return undefined;
  if (e.column !== null && !hasColumn(s, e.column)) return undefined;
  const modifiers =
    (e.collation ? `.collate(${str(e.collation.replace(/^"([^".]+)"$/, '$1'))})` : '') +
    (e.opclass ? `.op(${str(e.opclass)})` : '') +
    (e.order === 'DESC' ? '.desc()' : e.order === 'ASC' ? '.asc()' : '') +
    (e.nulls ? `.nulls${e.nulls === 'FIRST' ? 'First' : 'Last'}()` : '');
  if (e.column !== null) return colRef(s, e.column) + modifiers;
  const expr = sqlCode(s.ctx, e.expression!);
  return modifiers ? `${s.ctx.dsl('expression')}(${expr})${modifiers}` : expr;
};

export const indexCodes = (s: TableScope): string[] => {
  const { ctx, t } = s;
  const out: string[] = [];
  const own = tableParts(ctx.schema, t.schema, t.name).indexes;
  for (const i of own) {
    const d = parseIndexDef(i.definition);
    const keys = d?.keys.map((k) => keyCode(s, printedKey(k)));
    if (!d || !keys || keys.some((k) => k === undefined) || d.include.some((c) => !hasColumn(s, c))) {
      ctx.note(`index ${i.schema}.${i.name}: ${i.definition} has no DSL form: left out`);
      continue;
    }
    let code = `${ctx.dsl('index')}(${str(i.name)})`;
    if (d.using !== 'btree') code += `.using(${str(d.using)})`;
    if (d.nullsNotDistinct) code += '.nullsNotDistinct()';
    else if (d.unique) code += '.unique()';
    code += `.on(${keys.join(', ')})`;
    if (d.include.length) code += `.include(${d.include.map((c) => colRef(s, c)).join(', ')})`;
    const w = withOptions(d.with.map(([k, v]) => `${k}=${v}`));
    if (w) code += `.withOptions(${w})`;
    if (d.where !== null) code += `.where(${sqlCode(ctx, d.where)})`;
    if (i.comment !== null) code += `.comment(${str(i.comment)})`;
    out.push(code);
  }
  return out;
};

/** A parsed key printed back (to reuse `keyCode`'s one path). */
const printedKey = (k: ReturnType<typeof parseKeyElement> & object): string =>
  [
    k.column !== null ? `"${k.column.replace(/"/g, '""')}"` : `(${k.expression})`,
    k.collation ? `COLLATE ${k.collation}` : '',
    k.opclass ?? '',
    k.order ?? '',
    k.nulls ? `NULLS ${k.nulls}` : '',
  ]
    .filter(Boolean)
    .join(' ');
