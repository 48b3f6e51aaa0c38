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
    return addedConstraints(ctx).flatMap(({ relation, con, onNewColumn }) => {
      if (con.contype !== 'CONSTR_CHECK' || con.skip_validation || onNewColumn) return [];
      const name = con.conname ? ident(con.conname) : '…';
      return [
        {
          location: con.location,
          message: `the CHECK is verified on every row of ${label(relation)} while the table is locked ACCESS EXCLUSIVE`,
          rewrite: `ALTER TABLE ${quotedRel(relation)} ADD CONSTRAINT ${name} CHECK (…) NOT VALID; COMMIT; ALTER TABLE ${quotedRel(relation)} VALIDATE CONSTRAINT ${name};`,
        },
      ];
    });
  },
};
