import type { LintRule } from '../types.js';
import { defaultOf } from './columns.js';
import { addedConstraints } from './constraints.js';
import { ident, label, quotedRel } from './helpers.js';

export const addForeignKeyNotValid: LintRule = {
  id: 'add-foreign-key-not-valid',
  hazard: 'VALIDATION_SCAN',
  severity: 'error',
  description: 'ADD FOREIGN KEY on an existing table without NOT VALID',
  rewrite: 'ADD CONSTRAINT … FOREIGN KEY … NOT VALID; then, in a later transaction, VALIDATE CONSTRAINT …',
  check(ctx) {
    return addedConstraints(ctx).flatMap(({ relation, con, column }) => {
      // A new column without a default is all NULL: PostgreSQL skips the check (measured in premises.test.ts).
      if (con.contype !== 'CONSTR_FOREIGN' || con.skip_validation || (column && !defaultOf(column))) return [];
      const name = con.conname ? ident(con.conname) : '…';
      return [
        {
          location: con.location,
          message: `the foreign key is checked against every row of ${label(relation)} while it and ${label(con.pktable)} are locked SHARE ROW EXCLUSIVE (writes to both wait)`,
          rewrite: `ALTER TABLE ${quotedRel(relation)} ADD CONSTRAINT ${name} FOREIGN KEY (…) REFERENCES ${quotedRel(con.pktable)} (…) NOT VALID; COMMIT; ALTER TABLE ${quotedRel(relation)} VALIDATE CONSTRAINT ${name};`,
        },
      ];
    });
  },
};
