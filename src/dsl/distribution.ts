/**
 * Citus distribution declared on tables (`distribute` in the table's options) → what a migration that creates the
 * table runs after it. Like rename hints it travels beside the schema: the shadow has no Citus, so the normalized
 * schema never holds it. Untested on Citus itself (docs/distributed.md).
 */
import * as K from '../model/keys.js';
import { DSL } from './brand.js';
import { DIAGNOSTIC_CODES as C, diagnostic, type Diagnostic } from './ddl/diagnostic.js';
import type { Declared } from './ddl/site.js';
import type { TableData } from './table-data.js';

/** A table's distribution, resolved: the column by its SQL name, the colocated table as `schema.table` names. */
export type Distribution =
  | { readonly kind: 'reference' }
  | { readonly kind: 'hash'; readonly column: string; readonly colocateWith: { readonly schema: string; readonly name: string } | null };

const tableOf = (value: unknown): TableData | undefined => {
  const data = (value as { [DSL]?: { kind?: string } } | null)?.[DSL];
  return data?.kind === 'table' ? (data as unknown as TableData) : undefined;
};

export const distributions = (declared: readonly Declared[]): { readonly byTable: Map<string, Distribution>; readonly problems: Diagnostic[] } => {
  const byTable = new Map<string, Distribution>();
  const problems: Diagnostic[] = [];
  for (const d of declared) {
    if (d.data.kind !== 'table') continue;
    const t = d.data as unknown as TableData;
    const spec = t.distribute;
    if (spec === null) continue;
    const key = K.tableKey(t.schema, t.name);
    if (spec === 'reference') {
      byTable.set(key, { kind: 'reference' });
      continue;
    }
    if (typeof spec !== 'object' || typeof spec.by !== 'string') {
      problems.push(diagnostic(C.invalidDeclaration, d.site, `table ${t.schema}.${t.name}: distribute must be 'reference' or { by: 'column', colocateWith?: () => table }`));
      continue;
    }
    if (!t.columns.some((c) => c.name === spec.by)) {
      problems.push(diagnostic(C.missingReference, d.site, `table ${t.schema}.${t.name}: distribute.by names ${spec.by}, which is not one of its columns (${t.columns.map((c) => c.name).join(', ')})`));
      continue;
    }
    let colocateWith: { schema: string; name: string } | null = null;
    if (spec.colocateWith) {
      const other = tableOf(spec.colocateWith());
      if (!other || other.distribute === null || other.distribute === 'reference') {
        problems.push(diagnostic(C.invalidDeclaration, d.site, `table ${t.schema}.${t.name}: distribute.colocateWith must return a table distributed by a column`));
        continue;
      }
      colocateWith = { schema: other.schema, name: other.name };
    }
    byTable.set(key, { kind: 'hash', column: spec.by, colocateWith });
  }
  return { byTable, problems };
};
