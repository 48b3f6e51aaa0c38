import { typeLabel } from '../ast.js';
import type { LintRule } from '../types.js';
import { ident, label, typeChangeCommands } from './helpers.js';
import { typeChange } from '../../model/type-change.js';

export const alterColumnType: LintRule = {
  id: 'alter-column-type',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'ALTER COLUMN … TYPE that rewrites the table (anything but widening varchar/numeric/varbit limits, varchar↔text, cidr→inet, timestamp↔timestamptz after SET TIME ZONE \'UTC\')',
  rewrite: 'expand/contract: add a column of the new type, keep both in sync with a trigger, backfill in batches, switch readers, drop the old column',
  check(ctx) {
    return typeChangeCommands(ctx).flatMap(({ relation, name, col, to, from }) => {
      const change = typeChange(from, to, col?.raw_default !== undefined, ctx.state.timeZoneUtc);
      if (change.rewrites !== true) return [];
      const was = from ? ` from ${typeLabel(from)}` : '';
      return [
        {
          location: col?.typeName?.location,
          message: `changing ${label(relation)}.${name}${was} to ${typeLabel(to)} rewrites the table (and rebuilds its indexes) under an ACCESS EXCLUSIVE lock`,
          rewrite: `ADD COLUMN ${ident(`${name}_new`)} ${typeLabel(to)}; a trigger copying ${ident(name)} into it on write; backfill in batches; switch the code; then drop ${ident(name)} and rename`,
        },
      ];
    });
  },
};
