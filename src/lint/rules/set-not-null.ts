import { relKey } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, ident, label, quotedRel } from './helpers.js';

export const setNotNull: LintRule = {
  id: 'set-not-null',
  hazard: 'VALIDATION_SCAN',
  severity: 'error',
  description: 'SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) before it',
  rewrite: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; (commit) VALIDATE CONSTRAINT c; SET NOT NULL (no scan, PG 12+); DROP CONSTRAINT c',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      if (cmd.subtype !== 'AT_SetNotNull' || !cmd.name) return [];
      if (ctx.state.provenNotNull.has(`${relKey(relation)}.${cmd.name}`)) return [];
      const t = quotedRel(relation);
      const c = ident(`${cmd.name}_not_null`);
      return [
        {
          location: relation.location,
          message: `SET NOT NULL on ${label(relation)}.${cmd.name} scans every row while holding an ACCESS EXCLUSIVE lock`,
          rewrite: `ALTER TABLE ${t} ADD CONSTRAINT ${c} CHECK (${ident(cmd.name)} IS NOT NULL) NOT VALID; COMMIT; ALTER TABLE ${t} VALIDATE CONSTRAINT ${c}; ALTER TABLE ${t} ALTER COLUMN ${ident(cmd.name)} SET NOT NULL; ALTER TABLE ${t} DROP CONSTRAINT ${c};`,
        },
      ];
    });
  },
};
