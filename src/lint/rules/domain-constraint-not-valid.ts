import { as, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const domainConstraintNotValid: LintRule = {
  id: 'domain-constraint-not-valid',
  hazard: 'VALIDATION_SCAN',
  severity: 'error',
  description: 'ALTER DOMAIN … ADD CONSTRAINT without NOT VALID',
  rewrite: 'ALTER DOMAIN … ADD CONSTRAINT … NOT VALID; then ALTER DOMAIN … VALIDATE CONSTRAINT … in a later transaction',
  check(ctx) {
    const d = as(nodeOf(ctx), 'AlterDomainStmt');
    const con = as(d?.def, 'Constraint');
    if (d?.subtype !== 'C' || !con || con.skip_validation) return [];
    return [
      {
        location: con.location,
        message: `the new constraint of domain ${names(d.typeName).join('.')} is checked against every column of that domain in every table, under locks that block writes`,
      },
    ];
  },
};
