import type { LintRule } from '../types.js';
import { addedConstraints } from './constraints.js';
import { ident, label, quotedRel } from './helpers.js';

export const addCheckNotValid: LintRule = {
  id: 'add-check-not-valid',
  hazard: 'VALIDATION_SCAN',
  severity: 'error',
  description: 'ADD CHECK on an existing table without NOT VALID',
  rewrite: 'ADD CONSTRAINT … CHECK (…) NOT VALID; then, in a later transaction, VALIDATE CONSTRAINT …',
  check(ctx) {
    // Inline on ADD COLUMN too: PostgreSQL scans to check it even when the new column is all NULL.
    return addedConstraints(ctx).flatMap(({ relation, con, column }) => {
      if (con.contype !== 'CONSTR_CHECK' || con.skip_validation) return [];
      const name = con.conname ? ident(con.conname) : column?.colname ? ident(`${relation.relname}_${column.colname}_check`) : '…';
      return [
        {
          location: con.location,
          message: `the CHECK is verified on every row of ${label(relation)} while the table is locked ACCESS EXCLUSIVE`,
          rewrite: `${column ? `ADD COLUMN ${ident(column.colname ?? '')} without the CHECK; then ` : ''}ALTER TABLE ${quotedRel(relation)} ADD CONSTRAINT ${name} CHECK (…) NOT VALID; COMMIT; ALTER TABLE ${quotedRel(relation)} VALIDATE CONSTRAINT ${name};`,
        },
      ];
    });
  },
};
