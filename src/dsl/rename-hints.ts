/**
 * `renamedFrom` in code → rename hints in the `--rename` syntax (`src/diff/renames.ts` parses them):
 * `"schema"."old_table"=new`, `"schema"."table"."old_column"=new`, `"schema"."enum".'old'='new'`. Whole objects
 * come first and parts after, naming their object by its new name: the differ applies hints in order, each to the
 * schema the previous ones produced.
 */
import { dataOf } from './brand.js';
import type { ConstraintData } from './constraints.js';
import { DIAGNOSTIC_CODES as C, type Diagnostic, diagnostic } from './ddl/diagnostic.js';
import { type Declared, partSite, type Site } from './ddl/site.js';
import type { EnumData } from './enum.js';
import type { IndexData } from './indexes.js';
import type { TableData } from './table-data.js';

export interface RenameHintText {
  /** The hint in `--rename` syntax. */
  readonly text: string;
  /** Where `renamedFrom` was written. */
  readonly site: Site;
  /** What is renamed, for messages: `column public.staffs.name`. */
  readonly object: string;
}

/** Where a hint was declared, for messages: `file:line:col (object)`. */
export const hintSiteText = (h: RenameHintText): string => `${h.site.file}:${h.site.line}:${h.site.col} (${h.object})`;

/** Double-quoted name part (`""` for a quote inside), as the `--rename` syntax reads it. */
const part = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Single-quoted enum label part (`''` for a quote inside). */
const label = (name: string) => `'${name.replace(/'/g, "''")}'`;

const RENAMEABLE = new Set(['table', 'view', 'sequence', 'enum', 'domain', 'composite']);

export const renameHints = (declared: readonly Declared[]): { hints: RenameHintText[]; problems: Diagnostic[] } => {
  const objects: RenameHintText[] = [];
  const parts: RenameHintText[] = [];
  const problems: Diagnostic[] = [];
  const add = (into: RenameHintText[], olds: readonly string[], now: string, site: Site, object: string, path: (old: string) => string, quote = part) => {
    for (const old of olds) {
      if (old === now) problems.push(diagnostic(C.badRenameHint, site, `${object} is renamedFrom its own name '${old}'; remove the hint`));
      else into.push({ text: `${path(old)}=${quote(now)}`, site, object });
    }
  };

  for (const d of declared) {
    const data = d.data as { kind: string; schema?: string; name?: string; renamedFrom?: readonly string[] };
    if (!RENAMEABLE.has(data.kind) || data.schema === undefined || data.name === undefined) continue;
    const { schema, name } = data;
    const object = `${data.kind} ${schema}.${name}`;
    add(objects, data.renamedFrom ?? [], name, partSite(d, 'renamedFrom'), object, (old) => `${part(schema)}.${part(old)}`);

    if (data.kind === 'enum') {
      (data as unknown as EnumData).values.forEach((v, i) =>
        add(parts, v.renamedFrom, v.label, partSite(d, `value:${i}:renamedFrom`, `value:${i}`), `value '${v.label}' of ${object}`,
          (old) => `${part(schema)}.${part(name)}.${label(old)}`, label),
      );
    }
    if (data.kind !== 'table') continue;
    const t = d.data as TableData;
    for (const c of t.columns)
      add(parts, c.column.renamedFrom, c.name, partSite(d, `column:${c.key}:renamedFrom`, `column:${c.key}`), `column ${schema}.${name}.${c.name}`,
        (old) => `${part(schema)}.${part(name)}.${part(old)}`);
    let extras: readonly unknown[] = [];
    try {
      extras = t.extras();
    } catch {
      // reported when the table is rendered
    }
    extras.forEach((x, i) => {
      const e = dataOf(x) as (ConstraintData | IndexData) | undefined;
      if (!e || !('renamedFrom' in e) || e.renamedFrom.length === 0) return;
      const site = partSite(d, `extra:${i}:renamedFrom`, `extra:${i}`);
      if (e.name === undefined) {
        problems.push(diagnostic(C.badRenameHint, site, `a renamed ${e.kind === 'index' ? 'index' : 'constraint'} needs its new name: ${e.kind === 'index' ? "index('new_name')" : '{ name: … }'}`));
        return;
      }
      if (e.kind === 'index') add(objects, e.renamedFrom, e.name, site, `index ${schema}.${e.name}`, (old) => `${part(schema)}.${part(old)}`);
      else add(parts, e.renamedFrom, e.name, site, `constraint ${e.name} on ${schema}.${name}`, (old) => `${part(schema)}.${part(name)}.${part(old)}`);
    });
  }
  return { hints: [...objects, ...parts], problems };
};
