import { as, listKey, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, ident, label, quotedRel } from './helpers.js';

export const addColumnConstrainedDomain: LintRule = {
  id: 'add-column-constrained-domain',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'ADD COLUMN of a domain type with a CHECK or NOT NULL (declared in the file or --schema) on an existing table',
  rewrite: "add the column with the domain's base type, then the domain's rule as a table CHECK … NOT VALID, validated in a later transaction",
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const col = as(cmd.def, 'ColumnDef');
      if (cmd.subtype !== 'AT_AddColumn' || !col?.typeName) return [];
      const domain = listKey(names(col.typeName.names));
      if (!ctx.state.constrainedDomains.has(domain)) return [];
      return [
        {
          location: col.typeName.location,
          message: `${domain} has constraints, so PostgreSQL checks the new column's value in every row of ${label(relation)}: the table is rewritten under an ACCESS EXCLUSIVE lock`,
          rewrite: `ALTER TABLE ${quotedRel(relation)} ADD COLUMN ${ident(col.colname ?? '')} <base type of ${domain}>; ALTER TABLE ${quotedRel(relation)} ADD CONSTRAINT … CHECK (<the domain's rule on the column>) NOT VALID; COMMIT; … VALIDATE CONSTRAINT …`,
        },
      ];
    });
  },
};
