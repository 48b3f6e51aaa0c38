/**
 * Drop a column (contract): its values are copied to keikaku_archive with the primary key first, so the down
 * adds the column back and fills it row by row. A generated column needs no copy (it is computed again); a
 * table without a primary key cannot match values back, so its down restores the shape only.
 */
import type { Change } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import { archiveColumnSql, archiveName, primaryKeyColumns, restoreColumnSql } from '../../render/archive.js';
import { type RecipeContext, type RecipeResult, hazard, part } from './context.js';

export const dropColumn = (s: Step, c: Extract<Change, { kind: 'drop_column' }>, ctx: RecipeContext): RecipeResult => {
  const deploy = `no running code reads or writes ${c.table.schema}.${c.table.name}.${c.from.name}`;
  const pk = primaryKeyColumns(c.table);
  const inKey = pk?.includes(c.from.name) ?? false;
  if (c.from.generated !== null || pk === null || inKey || c.ownedSequences.length > 0) {
    const why =
      c.from.generated !== null
        ? null
        : pk === null
          ? 'its values cannot be matched back to their rows (no primary key to archive them by)'
          : inKey
            ? 'it is part of the primary key the values would be matched by'
            : 'it owns a sequence (serial), which is dropped with it and comes back restarted';
    return [
      part({
        phase: 'contract',
        purpose: 'drop',
        sql: s.sql,
        reverse: s.reverse,
        hazards: why ? [...s.hazards, hazard('IRREVERSIBLE', `the down re-adds ${c.from.name} empty: ${why}`)] : s.hazards,
        lock: s.lock,
        deploy,
      }),
    ];
  }
  const name = archiveName(ctx.id, c.table, c.from.name);
  return [
    part({
      phase: 'contract',
      purpose: `archive the values in keikaku_archive."${name}", then drop`,
      sql: [...archiveColumnSql(ctx.id, c.table, c.from, pk), ...s.sql],
      reverse: restoreColumnSql(ctx.id, c.table, c.from, pk),
      hazards: [
        { ...hazard('DELETES_DATA', `drops ${c.table.name}.${c.from.name}; its values are archived in keikaku_archive."${name}"`), mitigation: 'archived first; the down restores the values' },
        hazard('ACCESS_EXCLUSIVE_LOCK', `DROP COLUMN locks ${c.table.name} briefly; the archive copy reads the whole table first`),
      ],
      lock: 'access_exclusive',
      deploy,
    }),
  ];
};
