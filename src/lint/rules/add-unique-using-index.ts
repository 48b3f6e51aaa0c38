import type { LintRule } from '../types.js';
import { addedConstraints } from './constraints.js';
import { ident, label, quotedRel } from './helpers.js';

export const addUniqueUsingIndex: LintRule = {
  id: 'add-unique-using-index',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'ADD PRIMARY KEY / UNIQUE on an existing table without USING INDEX',
  rewrite: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … PRIMARY KEY / UNIQUE USING INDEX (instant)',
  check(ctx) {
    return addedConstraints(ctx).flatMap(({ relation, con }) => {
      if ((con.contype !== 'CONSTR_PRIMARY' && con.contype !== 'CONSTR_UNIQUE') || con.indexname) return [];
      const kind = con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
      const index = ident(con.conname ?? `${relation.relname}_key`);
      return [
        {
          location: con.location,
          message: `ADD ${kind} builds its index while ${label(relation)} is locked ACCESS EXCLUSIVE: reads and writes wait for the whole build`,
          rewrite: `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${quotedRel(relation)} (…); ALTER TABLE ${quotedRel(relation)} ADD CONSTRAINT ${index} ${kind} USING INDEX ${index};`,
        },
      ];
    });
  },
};
