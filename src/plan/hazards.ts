/**
 * Hazards and lock levels of each change, decided from the typed change (DESIGN §8): one entry per change kind, so
 * a new kind does not compile until it is classified. A lock level is the strongest lock the step's statements
 * hold, until the transaction ends, on a relation (table, index, view, sequence) that existed before the step, as
 * pg_locks shows it; AccessShare, RowShare and RowExclusive let reads and writes run on and are `none`.
 * test/plan/locks.test.ts runs a step of every kind and checks each level against pg_locks, on the server and on
 * PGlite.
 */
import { typeChangeRewrites } from './rewrites.js';
import type { Change, ChangeKind } from '../model/change.js';
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

type Of<K extends ChangeKind> = Extract<Change, { kind: K }>;
type RiskTable = { readonly [K in ChangeKind]: (c: Of<K>) => Risk };

const risk = (lock: LockLevel, ...hazards: Hazard[]): Risk => ({ hazards, lock, transactional: true, reverseTransactional: true });
const exclusive = (...hazards: Hazard[]): Risk => risk('access_exclusive', ...hazards);

const LEVELS: readonly LockLevel[] = ['none', 'share_update_exclusive', 'share', 'share_row_exclusive', 'access_exclusive'];
/** The strongest of the levels (`none` for none). */
const strongest = (...levels: LockLevel[]): LockLevel => LEVELS[Math.max(0, ...levels.map((l) => LEVELS.indexOf(l)))]!;
const when = (changed: boolean, level: LockLevel): LockLevel => (changed ? level : 'none');

/** COMMENT ON a relation or one of its columns: SHARE UPDATE EXCLUSIVE on it. GRANT takes no lock on it. */
const COMMENT: LockLevel = 'share_update_exclusive';

const optionName = (o: string) => (o.includes('=') ? o.slice(0, o.indexOf('=')) : o);
/** Storage parameters whose SET / RESET takes ACCESS EXCLUSIVE (Postgres's reloptions table); the others take SHARE UPDATE EXCLUSIVE. */
const EXCLUSIVE_OPTIONS: ReadonlySet<string> = new Set(['user_catalog_table', 'security_barrier', 'security_invoker', 'check_option']);
const optionsLock = (from: readonly string[], to: readonly string[]): LockLevel => {
  const changed = [...from.filter((o) => !to.includes(o)), ...to.filter((o) => !from.includes(o))].map(optionName);
  return changed.length === 0 ? 'none' : changed.some((n) => EXCLUSIVE_OPTIONS.has(n)) ? 'access_exclusive' : 'share_update_exclusive';
};

const alterColumnRisk = (c: Of<'alter_column'>): Risk => {
  const out: Hazard[] = [];
  if (typeChanged(c.from, c.to) && typeChangeRewrites(c))
    out.push(h('TABLE_REWRITE', `changes ${c.table.name}.${c.to.name} from ${c.from.type} to ${c.to.type}: every row is rewritten`));
  if (!c.from.notNull && c.to.notNull) out.push(h('VALIDATION_SCAN', `SET NOT NULL scans ${c.table.name} and fails if a row holds NULL`));
  // Every ALTER COLUMN clause the renderer writes (type, default, NOT NULL, identity) takes ACCESS EXCLUSIVE.
  const { comment: _c, grants: _g, position: _p, ...from } = c.from;
  const { comment: _tc, grants: _tg, position: _tp, ...to } = c.to;
  const altered = JSON.stringify(from) !== JSON.stringify(to);
  return risk(strongest(when(altered, 'access_exclusive'), when(c.from.comment !== c.to.comment, COMMENT)), ...out);
};

const addColumnRisk = (c: Of<'add_column'>): Risk => {
  const out: Hazard[] = [];
  if (c.to.notNull && c.to.default === null && c.to.identity === null && c.to.generated === null)
    out.push(h('BACKFILL', `NOT NULL without a default fails if ${c.table.name} has rows`));
  // A virtual generated column (PostgreSQL 18) is computed when read: adding one writes no row.
  if (c.to.generated !== null && !c.to.virtual) out.push(h('TABLE_REWRITE', 'a stored generated column rewrites the table'));
  return exclusive(...out);
};

/** A foreign key takes SHARE ROW EXCLUSIVE on both tables; every other constraint ACCESS EXCLUSIVE on its table. */
const addConstraintRisk = (c: Of<'add_constraint'>): Risk => {
  if (c.to.type === 'primary' || c.to.type === 'unique' || c.to.type === 'exclusion')
    return exclusive(h('INDEX_BUILD', `builds the index of ${c.to.name} while blocking writes`));
  const lock: LockLevel = c.to.type === 'foreign' ? 'share_row_exclusive' : 'access_exclusive';
  return c.to.validated ? risk(lock, h('VALIDATION_SCAN', `validating ${c.to.name} scans ${c.table.name}`)) : risk(lock);
};

/**
 * ADD CONSTRAINT (validated) and SET NOT NULL on a domain check every column of that domain, holding SHARE on
 * their tables; the level assumes the domain is in use (unused, nothing is locked).
 */
const alterDomainRisk = (c: Of<'alter_domain'>): Risk => {
  const added = c.to.checks.some((k) => k.validated && !c.from.checks.some((f) => f.name === k.name && f.definition === k.definition && f.validated));
  return risk(when(added || (!c.from.notNull && c.to.notNull), 'share'));
};

/** A composite type is also a relation (relkind `c`): changing or dropping it locks that relation. */
const typeLock = (t: Of<'drop_type'>['from']): LockLevel => (t.kind === 'composite' ? 'access_exclusive' : 'none');

/** CREATE TABLE … PARTITION OF and INHERITS lock their parents ACCESS EXCLUSIVE and SHARE UPDATE EXCLUSIVE. */
const createTableLock = (t: Of<'create_table'>['to']): LockLevel =>
  t.partitionOf !== null ? 'access_exclusive' : t.inherits.length ? 'share_update_exclusive' : 'none';

export const RISKS: RiskTable = {
  create_schema: () => risk('none'),
  // An empty schema: what was in it is dropped by steps of its own.
  drop_schema: (c) => risk('none', h('DELETES_DATA', `drops schema ${c.from.name}`)),
  alter_schema: () => risk('none'),
  create_extension: () => risk('none'),
  drop_extension: (c) => risk('none', h('DELETES_DATA', `drops extension ${c.from.name}`)),
  alter_extension: () => risk('none'),
  create_type: () => risk('none'),
  drop_type: (c) => risk(typeLock(c.from)),
  rename_type: (c) => risk(typeLock(c.from)),
  alter_enum: (c) =>
    c.to.labels.length > c.from.labels.length
      ? { ...risk('none', h('NON_TRANSACTIONAL', 'a new enum value must be committed before it is used')), transactional: false }
      : risk('none'),
  recreate_enum: (c) =>
    exclusive(
      h('UNSAFE_ENUM_CHANGE', `rebuilds ${c.to.name}; fails if a row still uses a removed value`),
      ...(c.columns.length ? [h('TABLE_REWRITE', `converts ${c.columns.length} column(s) to the rebuilt type`)] : []),
    ),
  alter_domain: alterDomainRisk,
  alter_composite: () => exclusive(),
  create_sequence: () => risk('none'),
  drop_sequence: (c) => exclusive(h('DELETES_DATA', `drops sequence ${c.from.name}`)),
  rename_sequence: () => exclusive(),
  alter_sequence: () => risk('share_row_exclusive'),
  set_sequence_owner: () => risk('share_row_exclusive'),
  create_table: (c) => risk(createTableLock(c.to)),
  drop_table: (c) => exclusive(h('DELETES_DATA', `drops table ${c.from.schema}.${c.from.name} and its rows`)),
  rename_table: () => exclusive(h('BREAKS_OLD_CLIENTS', 'code that uses the old name fails after this step')),
  alter_table: ({ from, to }) =>
    risk(
      strongest(
        when(from.unlogged !== to.unlogged || from.rowSecurity !== to.rowSecurity || from.forceRowSecurity !== to.forceRowSecurity, 'access_exclusive'),
        optionsLock(from.options, to.options),
        when(from.comment !== to.comment, COMMENT),
      ),
    ),
  add_column: addColumnRisk,
  drop_column: (c) =>
    exclusive(
      h(
        'DELETES_DATA',
        c.from.generated === null
          ? `drops column ${c.table.name}.${c.from.name} and its values`
          : `drops generated column ${c.table.name}.${c.from.name} (a new expression, or stored ↔ virtual, cannot change in place: the column is dropped and added again, and a stored one rewrites the table)`,
      ),
    ),
  rename_column: () => exclusive(h('BREAKS_OLD_CLIENTS', 'code that uses the old name fails after this step')),
  alter_column: alterColumnRisk,
  add_constraint: addConstraintRisk,
  drop_constraint: () => exclusive(),
  rename_constraint: () => exclusive(),
  // VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE (a foreign key's referenced table only ROW SHARE); COMMENT ON CONSTRAINT locks no relation.
  alter_constraint: ({ from, to }) => risk(when(!from.validated && to.validated, 'share_update_exclusive')),
  create_index: (c) => risk('share', h('INDEX_BUILD', `builds ${c.to.name}; writes to ${c.to.table} wait`), h('BLOCKS_WRITES', 'CREATE INDEX without CONCURRENTLY')),
  drop_index: () => exclusive(),
  rename_index: () => risk('share_update_exclusive'),
  alter_index: ({ from, to }) => risk(when(from.comment !== to.comment, COMMENT)),
  create_view: () => risk('none'),
  drop_view: () => exclusive(),
  rename_view: () => exclusive(h('BREAKS_OLD_CLIENTS', 'code that uses the old name fails after this step')),
  alter_view: ({ from, to }) =>
    risk(
      strongest(
        optionsLock(from.options, to.options),
        when(from.comment !== to.comment || JSON.stringify(from.columnComments) !== JSON.stringify(to.columnComments), COMMENT),
      ),
    ),
  create_function: () => risk('none'),
  drop_function: () => risk('none'),
  replace_function: () => risk('none'),
  alter_function: () => risk('none'),
  create_trigger: () => risk('share_row_exclusive'),
  drop_trigger: () => exclusive(),
  alter_trigger: ({ from, to }) => risk(when(from.enabled !== to.enabled, 'share_row_exclusive')),
  create_policy: () => exclusive(),
  drop_policy: () => exclusive(),
  alter_policy: () => risk('none'),
};

export const changeRisk = (c: Change): Risk => (RISKS[c.kind] as (c: Change) => Risk)(c);
