import type { LintRule } from '../types.js';
import { addedConstraints } from './constraints.js';
import { label } from './helpers.js';

export const addExclusionConstraint: LintRule = {
  id: 'add-exclusion-constraint',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'ADD EXCLUDE constraint on an existing table (it has no NOT VALID or USING INDEX form)',
  rewrite: 'run it in a maintenance window, or enforce the rule with a trigger plus a concurrently built index',
  check(ctx) {
    return addedConstraints(ctx).flatMap(({ relation, con }) =>
      con.contype === 'CONSTR_EXCLUSION'
        ? [
            {
              location: con.location,
              message: `an exclusion constraint builds its index and checks every row of ${label(relation)} under an ACCESS EXCLUSIVE lock`,
            },
          ]
        : [],
    );
  },
};
