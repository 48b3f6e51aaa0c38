/**
 * A drop and an add that look like a rename: a column dropped and one added to the same table with the same
 * type, or a table dropped and one created with the same columns. No hint decided them, so `generate` stops and
 * asks rather than losing the data of the dropped one.
 */
import type { Change } from '../model/change.js';

export interface RenameCandidate {
  readonly kind: 'column' | 'table';
  /** `schema.table` for columns, `schema` for tables. */
  readonly where: string;
  readonly from: string;
  readonly to: string;
  /** The `--rename` hint that would decide it as a rename. */
  readonly hint: string;
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

export const renameCandidates = (changes: readonly Change[], refused: ReadonlySet<string> = new Set()): RenameCandidate[] => {
  const out: RenameCandidate[] = [];
  for (const drop of changes) {
    if (drop.kind === 'drop_column') {
      for (const add of changes) {
        if (add.kind !== 'add_column' || add.table.schema !== drop.table.schema || add.table.name !== drop.table.name) continue;
        if (add.to.type !== drop.from.type) continue;
        const where = `${drop.table.schema}.${drop.table.name}`;
        if (refused.has(`${where}.${drop.from.name}`) || refused.has(`${drop.table.name}.${drop.from.name}`)) continue;
        out.push({
          kind: 'column',
          where,
          from: drop.from.name,
          to: add.to.name,
          hint: `${q(drop.table.schema)}.${q(drop.table.name)}.${q(drop.from.name)}=${add.to.name}`,
        });
      }
    }
    if (drop.kind === 'drop_table') {
      const shape = (cols: readonly { name: string; type: string }[]) => JSON.stringify(cols.map((c) => [c.name, c.type]).sort());
      for (const add of changes) {
        if (add.kind !== 'create_table' || add.to.schema !== drop.from.schema) continue;
        if (shape(add.to.columns) !== shape(drop.from.columns)) continue;
        if (refused.has(`${drop.from.schema}.${drop.from.name}`) || refused.has(drop.from.name)) continue;
        out.push({
          kind: 'table',
          where: drop.from.schema,
          from: drop.from.name,
          to: add.to.name,
          hint: `${q(drop.from.schema)}.${q(drop.from.name)}=${add.to.name}`,
        });
      }
    }
  }
  return out;
};
