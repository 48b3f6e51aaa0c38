import type { AlterTableType } from 'libpg-query';
import type { LintRule } from '../types.js';
import { existingTableCommands, label } from './helpers.js';

/** ALTER TABLE forms that copy the whole table into a new file. */
const REWRITING: Readonly<Partial<Record<AlterTableType, string>>> = {
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
};

export const tableRewriteOption: LintRule = {
  id: 'table-rewrite-option',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'ALTER TABLE … SET LOGGED / SET UNLOGGED / SET TABLESPACE / SET ACCESS METHOD on an existing table',
  rewrite: 'create the new table alongside, copy in batches with a sync trigger, swap names in one short transaction (or run it in a maintenance window)',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const form = cmd.subtype ? REWRITING[cmd.subtype] : undefined;
      if (!form) return [];
      return [{ location: relation.location, message: `${form} copies all of ${label(relation)} into a new file under an ACCESS EXCLUSIVE lock` }];
    });
  },
};
