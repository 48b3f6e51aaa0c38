import { as, typeInfo } from '../ast.js';
import type { LintRule } from '../types.js';
import { defaultOf, isSerial, volatileCalls } from './columns.js';
import { existingTableCommands, ident, label, quotedRel } from './helpers.js';

export const addColumnVolatileDefault: LintRule = {
  id: 'add-column-volatile-default',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), a VOLATILE function declared in the file or --schema, a serial type) on an existing table',
  rewrite: 'add the column without a default, set the default in a second statement (it applies to new rows only), backfill old rows in batches',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const col = as(cmd.def, 'ColumnDef');
      if (cmd.subtype !== 'AT_AddColumn' || !col) return [];
      const calls = volatileCalls(defaultOf(col), ctx.state.functionVolatility);
      const serial = isSerial(col);
      if (calls.length === 0 && !serial) return [];
      const what = serial ? `the ${typeInfo(col.typeName)?.name} type (a nextval() default)` : `${calls[0]!.name}()`;
      const name = ident(col.colname ?? '');
      return [
        {
          location: serial ? col.typeName?.location : calls[0]!.location,
          message: `${what} is volatile: every existing row of ${label(relation)} gets its own value, so the table is rewritten under an ACCESS EXCLUSIVE lock`,
          rewrite: `ALTER TABLE ${quotedRel(relation)} ADD COLUMN ${name} <type>; ALTER TABLE ${quotedRel(relation)} ALTER COLUMN ${name} SET DEFAULT …; then backfill existing rows in batches`,
        },
      ];
    });
  },
};
