/** Forward and reverse SQL of each change kind: one table, checked for completeness by the compiler. */
import type { Change, ChangeKind } from '../model/change.js';
import * as C from '../render/column.js';
import * as R from '../render/constraint.js';
import * as O from '../render/objects.js';
import * as S from '../render/sequence.js';
import * as T from '../render/table.js';
import * as Y from '../render/types.js';
import { ident, literal } from '../render/quote.js';

type Of<K extends ChangeKind> = Extract<Change, { kind: K }>;
export interface Sql {
  readonly sql: string[];
  readonly reverse: string[];
}
type SqlTable = { readonly [K in ChangeKind]: (c: Of<K>) => Sql };

export const SQL: SqlTable = {
  create_schema: (c) => ({ sql: O.createSchemaSql(c.to), reverse: O.dropSchemaSql(c.to) }),
  drop_schema: (c) => ({ sql: O.dropSchemaSql(c.from), reverse: O.createSchemaSql(c.from) }),
  alter_schema: (c) => ({ sql: O.alterSchemaSql(c.from, c.to), reverse: O.alterSchemaSql(c.to, c.from) }),
  create_extension: (c) => ({ sql: O.createExtensionSql(c.to), reverse: O.dropExtensionSql(c.to) }),
  drop_extension: (c) => ({ sql: O.dropExtensionSql(c.from), reverse: O.createExtensionSql(c.from) }),
  alter_extension: (c) => ({ sql: O.alterExtensionSql(c.from, c.to), reverse: O.alterExtensionSql(c.to, c.from) }),
  create_type: (c) => ({ sql: Y.createTypeSql(c.to), reverse: Y.dropTypeSql(c.to) }),
  drop_type: (c) => ({ sql: Y.dropTypeSql(c.from), reverse: Y.createTypeSql(c.from) }),
  rename_type: (c) => ({ sql: Y.renameTypeSql(c.from, c.to), reverse: Y.renameTypeSql(c.to, c.from) }),
  alter_enum: (c) => {
    const back = c.renamedValues.map(([a, b]) => [b, a] as const);
    if (c.to.labels.length === c.from.labels.length)
      return { sql: Y.alterEnumSql(c.from, c.to, c.renamedValues), reverse: Y.alterEnumSql(c.to, c.from, back) };
    // Postgres cannot drop an enum value: the way back renames values back, then rebuilds the type without the new ones.
    const renamedBack = { ...c.to, labels: c.to.labels.map((l) => back.find(([a]) => a === l)?.[1] ?? l) };
    return {
      sql: Y.alterEnumSql(c.from, c.to, c.renamedValues),
      reverse: [
        ...back.map(([a, b]) => `ALTER TYPE ${T.tableName(c.to)} RENAME VALUE ${literal(a)} TO ${literal(b)};`),
        ...Y.recreateEnumSql(renamedBack, c.from, c.columns, 'from'),
      ],
    };
  },
  recreate_enum: (c) => ({
    sql: Y.recreateEnumSql(c.from, c.to, c.columns, 'to'),
    reverse: Y.recreateEnumSql(c.to, c.from, c.columns, 'from'),
  }),
  alter_domain: (c) => ({ sql: Y.alterDomainSql(c.from, c.to), reverse: Y.alterDomainSql(c.to, c.from) }),
  alter_composite: (c) => ({ sql: Y.alterCompositeSql(c.from, c.to), reverse: Y.alterCompositeSql(c.to, c.from) }),
  create_sequence: (c) => ({ sql: S.createSequenceSql(c.to), reverse: S.dropSequenceSql(c.to) }),
  drop_sequence: (c) => ({
    sql: S.dropSequenceSql(c.from),
    reverse: [...S.createSequenceSql(c.from), ...(c.from.ownedBy ? S.ownerSql(c.from) : [])],
  }),
  rename_sequence: (c) => ({
    sql: [`ALTER SEQUENCE ${T.tableName(c.from)} RENAME TO ${ident(c.to.name)};`],
    reverse: [`ALTER SEQUENCE ${T.tableName(c.to)} RENAME TO ${ident(c.from.name)};`],
  }),
  alter_sequence: (c) => ({ sql: S.alterSequenceSql(c.from, c.to), reverse: S.alterSequenceSql(c.to, c.from) }),
  set_sequence_owner: (c) => ({ sql: S.ownerSql(c.to), reverse: S.ownerSql(c.from) }),
  create_table: (c) => ({ sql: T.createTableSql(c.to), reverse: T.dropTableSql(c.to) }),
  drop_table: (c) => ({
    sql: T.dropTableSql(c.from),
    reverse: T.withOwnedSequences(c.ownedSequences, T.createTableSql(c.from)),
  }),
  rename_table: (c) => ({
    sql: [`ALTER TABLE ${T.tableName(c.from)} RENAME TO ${ident(c.to.name)};`, ...C.followNotNullNamesSql(c.to, c.from.columns, c.to.columns)],
    reverse: [...C.followNotNullNamesSql(c.to, c.to.columns, c.from.columns), `ALTER TABLE ${T.tableName(c.to)} RENAME TO ${ident(c.from.name)};`],
  }),
  alter_table: (c) => ({ sql: T.alterTableSql(c.from, c.to), reverse: T.alterTableSql(c.to, c.from) }),
  add_column: (c) => ({ sql: C.addColumnSql(c.table, c.to), reverse: C.dropColumnSql(c.table, c.to) }),
  drop_column: (c) => ({
    sql: C.dropColumnSql(c.table, c.from, c.only),
    reverse: T.withOwnedSequences(c.ownedSequences, C.addColumnSql(c.table, c.from)),
  }),
  rename_column: (c) => ({
    sql: C.renameColumnSql(c.table, c.from, c.to),
    reverse: C.renameColumnSql(c.table, c.to, c.from),
  }),
  alter_column: (c) => ({
    sql: C.alterColumnSql(c.table, c.from, c.to, c.viaText),
    reverse: C.alterColumnSql(c.table, c.to, c.from, c.viaText),
  }),
  add_constraint: (c) => ({ sql: R.addConstraintSql(c.table, c.to), reverse: R.dropConstraintSql(c.table, c.to) }),
  drop_constraint: (c) => ({ sql: R.dropConstraintSql(c.table, c.from), reverse: R.addConstraintSql(c.table, c.from) }),
  rename_constraint: (c) => ({
    sql: R.renameConstraintSql(c.table, c.from, c.to),
    reverse: R.renameConstraintSql(c.table, c.to, c.from),
  }),
  alter_constraint: (c) => ({
    sql: R.alterConstraintSql(c.table, c.from, c.to),
    // Un-validating has no statement: the constraint is put back as it was.
    reverse:
      !c.from.validated && c.to.validated
        ? [...R.dropConstraintSql(c.table, c.to), ...R.addConstraintSql(c.table, c.from)]
        : R.alterConstraintSql(c.table, c.to, c.from),
  }),
  create_index: (c) => ({ sql: O.createIndexSql(c.to), reverse: O.dropIndexSql(c.to) }),
  drop_index: (c) => ({ sql: O.dropIndexSql(c.from), reverse: O.createIndexSql(c.from) }),
  rename_index: (c) => ({ sql: O.renameIndexSql(c.from, c.to), reverse: O.renameIndexSql(c.to, c.from) }),
  alter_index: (c) => ({ sql: O.alterIndexSql(c.from, c.to), reverse: O.alterIndexSql(c.to, c.from) }),
  create_view: (c) => ({ sql: O.createViewSql(c.to), reverse: O.dropViewSql(c.to) }),
  drop_view: (c) => ({ sql: O.dropViewSql(c.from), reverse: O.createViewSql(c.from) }),
  rename_view: (c) => ({ sql: O.renameViewSql(c.from, c.to), reverse: O.renameViewSql(c.to, c.from) }),
  alter_view: (c) => ({ sql: O.alterViewSql(c.from, c.to), reverse: O.alterViewSql(c.to, c.from) }),
  create_function: (c) => ({ sql: O.createFunctionSql(c.to), reverse: O.dropFunctionSql(c.to) }),
  drop_function: (c) => ({ sql: O.dropFunctionSql(c.from), reverse: O.createFunctionSql(c.from) }),
  replace_function: (c) => ({ sql: O.replaceFunctionSql(c.from, c.to), reverse: O.replaceFunctionSql(c.to, c.from) }),
  alter_function: (c) => ({ sql: O.alterFunctionSql(c.from, c.to), reverse: O.alterFunctionSql(c.to, c.from) }),
  create_trigger: (c) => ({ sql: O.createTriggerSql(c.to), reverse: O.dropTriggerSql(c.to) }),
  drop_trigger: (c) => ({ sql: O.dropTriggerSql(c.from), reverse: O.createTriggerSql(c.from) }),
  alter_trigger: (c) => ({ sql: O.alterTriggerSql(c.from, c.to), reverse: O.alterTriggerSql(c.to, c.from) }),
  create_policy: (c) => ({ sql: O.createPolicySql(c.to), reverse: O.dropPolicySql(c.to) }),
  drop_policy: (c) => ({ sql: O.dropPolicySql(c.from), reverse: O.createPolicySql(c.from) }),
  alter_policy: (c) => ({ sql: O.alterPolicySql(c.from, c.to), reverse: O.alterPolicySql(c.to, c.from) }),
};


export const changeSql = (c: Change): Sql => (SQL[c.kind] as (c: Change) => Sql)(c);
