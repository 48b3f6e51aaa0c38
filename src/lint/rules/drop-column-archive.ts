import { relKey } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, ident, label, quotedRel } from './helpers.js';

export const dropColumnArchive: LintRule = {
  id: 'drop-column-archive',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'DROP COLUMN without copying the table into keikaku_archive earlier in the file',
  rewrite: 'CREATE TABLE keikaku_archive.<name> AS SELECT <key>, <column> FROM <table>; before the drop, so the down can restore the values',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      if (cmd.subtype !== 'AT_DropColumn' || !cmd.name || ctx.state.archived.has(relKey(relation))) return [];
      const archive = `keikaku_archive.${ident(`${relation.relname}_${cmd.name}`)}`;
      return [
        {
          location: relation.location,
          message: `dropping ${label(relation)}.${cmd.name} deletes its values, and nothing earlier in the file keeps a copy`,
          rewrite: `CREATE TABLE ${archive} AS SELECT <primary key>, ${ident(cmd.name)} FROM ${quotedRel(relation)}; then the DROP COLUMN (and deploy code that no longer reads it first)`,
        },
      ];
    });
  },
};
