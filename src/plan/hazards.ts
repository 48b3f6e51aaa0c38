/** Hazards and lock levels of each change, decided from the typed change (DESIGN §8). */
import { typeChangeRewrites } from './rewrites.js';
import type { Change } from '../model/change.js';
import type { Hazard, HazardCode } from '../model/hazard.js';
import type { LockLevel } from '../model/plan.js';
import { typeChanged } from '../render/column.js';

const h = (code: HazardCode, message: string): Hazard => ({ code, message });

export interface Risk {
  readonly hazards: readonly Hazard[];
  readonly lock: LockLevel;
  readonly transactional: boolean;
  readonly reverseTransactional: boolean;
}

const plain: Risk = { hazards: [], lock: 'none', transactional: true, reverseTransactional: true };
const exclusive = (...hazards: Hazard[]): Risk => ({ ...plain, hazards, lock: 'access_exclusive' });

export const changeRisk = (c: Change): Risk => {
  switch (c.kind) {
    case 'drop_table':
      return exclusive(h('DELETES_DATA', `drops table ${c.from.schema}.${c.from.name} and its rows`));
    case 'drop_column':
      return exclusive(h('DELETES_DATA', `drops column ${c.table.name}.${c.from.name} and its values`));
    case 'drop_schema':
    case 'drop_extension':
    case 'drop_sequence':
      return exclusive(h('DELETES_DATA', `drops ${c.kind.slice(5)} ${'name' in c.from ? c.from.name : ''}`));
    case 'rename_table':
    case 'rename_column':
    case 'rename_view':
      return exclusive(h('BREAKS_OLD_CLIENTS', 'code that uses the old name fails after this step'));
    case 'alter_column': {
      const out: Hazard[] = [];
      if (typeChanged(c.from, c.to) && typeChangeRewrites(c))
        out.push(h('TABLE_REWRITE', `changes ${c.table.name}.${c.to.name} from ${c.from.type} to ${c.to.type}: every row is rewritten`));
      if (!c.from.notNull && c.to.notNull)
        out.push(h('VALIDATION_SCAN', `SET NOT NULL scans ${c.table.name} and fails if a row holds NULL`));
      return out.length ? exclusive(...out) : { ...plain, lock: 'access_exclusive' };
    }
    case 'add_column': {
      const out: Hazard[] = [];
      if (c.to.notNull && c.to.default === null && c.to.identity === null && c.to.generated === null)
        out.push(h('BACKFILL', `NOT NULL without a default fails if ${c.table.name} has rows`));
      if (c.to.generated !== null) out.push(h('TABLE_REWRITE', 'a stored generated column rewrites the table'));
      return { ...plain, hazards: out, lock: 'access_exclusive' };
    }
    case 'add_constraint':
      return c.to.validated && c.to.type !== 'primary' && c.to.type !== 'unique'
        ? { ...plain, lock: 'share_row_exclusive', hazards: [h('VALIDATION_SCAN', `validating ${c.to.name} scans ${c.table.name}`)] }
        : c.to.type === 'primary' || c.to.type === 'unique' || c.to.type === 'exclusion'
          ? exclusive(h('INDEX_BUILD', `builds the index of ${c.to.name} while blocking writes`))
          : { ...plain, lock: 'share_row_exclusive' };
    case 'create_index':
      return { ...plain, lock: 'share', hazards: [h('INDEX_BUILD', `builds ${c.to.name}; writes to ${c.to.table} wait`), h('BLOCKS_WRITES', 'CREATE INDEX without CONCURRENTLY')] };
    case 'alter_enum':
      return c.to.labels.length > c.from.labels.length
        ? { ...plain, transactional: false, hazards: [h('NON_TRANSACTIONAL', 'a new enum value must be committed before it is used')] }
        : plain;
    case 'recreate_enum':
      return exclusive(
        h('UNSAFE_ENUM_CHANGE', `rebuilds ${c.to.name}; fails if a row still uses a removed value`),
        ...(c.columns.length ? [h('TABLE_REWRITE', `converts ${c.columns.length} column(s) to the rebuilt type`)] : []),
      );
    case 'drop_type':
    case 'drop_function':
    case 'drop_view':
    case 'drop_index':
    case 'drop_constraint':
    case 'drop_trigger':
    case 'drop_policy':
    case 'create_trigger':
    case 'alter_table':
    case 'create_policy':
    case 'rename_constraint':
    case 'rename_index':
    case 'rename_sequence':
    case 'rename_type':
      return { ...plain, lock: 'access_exclusive' };
    default:
      return plain;
  }
};
