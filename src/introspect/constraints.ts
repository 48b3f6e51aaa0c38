/** Table constraints (primary key, unique, foreign key, check, exclusion). */
import type { Db } from '../db/types.js';
import type { Constraint, ConstraintType } from '../model/schema.js';
import { runQuery } from './catalog.js';
import { bool, int, intArray, text, textOrNull } from './decode.js';

const constraintTypes: Readonly<Record<string, ConstraintType>> = {
  p: 'primary',
  u: 'unique',
  f: 'foreign',
  c: 'check',
  x: 'exclusion',
};

export interface ReadConstraint {
  readonly oid: number;
  readonly tableOid: number;
  /** `conkey`: column numbers, named once the table's columns are known. */
  readonly keys: readonly number[];
  /** The index backing a primary key, unique or exclusion constraint (it stands for the constraint). */
  readonly backingIndexOid: number | null;
  readonly constraint: Omit<Constraint, 'columns'>;
}

export const readConstraints = (db: Db, params: readonly unknown[]): Promise<ReadConstraint[]> =>
  runQuery(db, 'constraints', params, (r) => {
    const code = text(r, 'type');
    const type = constraintTypes[code];
    if (type === undefined) throw new Error(`unexpected contype ${JSON.stringify(code)}`);
    const refTable = textOrNull(r, 'ref_table');
    return {
      oid: int(r, 'oid'),
      tableOid: int(r, 'table_oid'),
      keys: intArray(r, 'keys'),
      backingIndexOid: type === 'foreign' || type === 'check' ? null : int(r, 'index_oid'),
      constraint: {
        name: text(r, 'name'),
        type,
        definition: text(r, 'definition'),
        validated: bool(r, 'validated'),
        references: refTable === null ? null : { schema: text(r, 'ref_schema'), table: refTable },
        comment: textOrNull(r, 'comment'),
      },
    };
  });
