import { as, listKey, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { ident, nodeOf } from './helpers.js';

export const dropTableArchive: LintRule = {
  id: 'drop-table-archive',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'DROP TABLE without copying it into keikaku_archive earlier in the file',
  rewrite: 'ALTER TABLE <table> SET SCHEMA keikaku_archive (or CREATE TABLE keikaku_archive.<name> AS TABLE <table>) instead of dropping it',
  check(ctx) {
    const drop = as(nodeOf(ctx), 'DropStmt');
    if (drop?.removeType !== 'OBJECT_TABLE') return [];
    return (drop.objects ?? []).flatMap((o) => {
      const parts = names(as(o, 'List')?.items);
      const key = listKey(parts);
      if (ctx.state.createdTables.has(key) || ctx.state.archived.has(key) || parts[0] === 'keikaku_archive') return [];
      const name = parts.join('.');
      return [
        {
          message: `DROP TABLE ${name} deletes its rows, and nothing earlier in the file keeps a copy`,
          rewrite: `ALTER TABLE ${parts.map(ident).join('.')} SET SCHEMA keikaku_archive; (drop it from there after the retention period: keikaku archive prune)`,
        },
      ];
    });
  },
};
