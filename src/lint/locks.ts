/**
 * Which existing relations a statement locks ACCESS EXCLUSIVE (blocking every read and write of them until the
 * transaction ends), per the lock levels PostgreSQL documents for each command. Relations created earlier in the
 * file are left out: nothing else can be waiting on them. test/lint/locks.test.ts checks this table against
 * pg_locks on the server and on PGlite.
 */
import type { AlterTableType, Node, RangeVar } from 'libpg-query';
import type { ParsedStatement } from '../db/split-sql.js';
import { as, listKey, names, relKey, relLabel } from './ast.js';
import type { FileState } from './state.js';

/** ALTER TABLE subcommands that take a weaker lock than ACCESS EXCLUSIVE (SHARE UPDATE / SHARE ROW EXCLUSIVE). */
const WEAKER: ReadonlySet<AlterTableType> = new Set<AlterTableType>([
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ValidateConstraint',
  'AT_AttachPartition',
  'AT_DetachPartitionFinalize',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
]);

/** `AccessExclusiveLock` in the LockStmt `mode` numbering (lockdefs.h). */
const ACCESS_EXCLUSIVE_MODE = 8;

export interface LockedRelation {
  /** `relKey` of the relation. */
  readonly key: string;
  /** As written, for messages. */
  readonly label: string;
  readonly location: number | undefined;
}

const locked = (rv: RangeVar | undefined): LockedRelation[] =>
  rv?.relname ? [{ key: relKey(rv), label: relLabel(rv), location: rv.location }] : [];

const alterTableLocks = (stmt: NonNullable<ReturnType<typeof as<'AlterTableStmt'>>>): LockedRelation[] => {
  if (stmt.objtype !== 'OBJECT_TABLE' && stmt.objtype !== 'OBJECT_MATVIEW' && stmt.objtype !== 'OBJECT_FOREIGN_TABLE') return [];
  // ATTACH PARTITION locks the parent SHARE UPDATE EXCLUSIVE but the table being attached ACCESS EXCLUSIVE.
  const attached = (stmt.cmds ?? []).flatMap((c) => {
    const cmd = as(c, 'AlterTableCmd');
    return cmd?.subtype === 'AT_AttachPartition' ? locked(as(cmd.def, 'PartitionCmd')?.name) : [];
  });
  const strong = (stmt.cmds ?? []).some((c) => {
    const cmd = as(c, 'AlterTableCmd');
    if (!cmd?.subtype || WEAKER.has(cmd.subtype)) return false;
    const con = as(cmd.def, 'Constraint');
    if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_FOREIGN') return false; // SHARE ROW EXCLUSIVE
    if (cmd.subtype === 'AT_DetachPartition' && as(cmd.def, 'PartitionCmd')?.concurrent) return false;
    return true;
  });
  return [...(strong ? locked(stmt.relation) : []), ...attached];
};

/** The relations `node` locks ACCESS EXCLUSIVE, whether or not they were created in the file. */
export const accessExclusiveLocks = (node: Node): LockedRelation[] => {
  const alter = as(node, 'AlterTableStmt');
  if (alter) return alterTableLocks(alter);
  const rename = as(node, 'RenameStmt');
  if (rename) {
    const kinds = ['OBJECT_TABLE', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_VIEW', 'OBJECT_MATVIEW'];
    return kinds.includes(rename.renameType ?? '') ? locked(rename.relation) : [];
  }
  const drop = as(node, 'DropStmt');
  if (drop && ['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE'].includes(drop.removeType ?? '')) {
    // `DROP POLICY p ON t`: the object is [schema,] table, name; the table is locked.
    return (drop.objects ?? []).map((o) => {
      const parts = names(as(o, 'List')?.items).slice(0, -1);
      return { key: listKey(parts), label: parts.join('.'), location: undefined };
    });
  }
  if (drop) {
    const kinds = ['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_INDEX', 'OBJECT_SEQUENCE'];
    if (!kinds.includes(drop.removeType ?? '') || drop.concurrent) return [];
    return (drop.objects ?? []).map((o) => {
      const parts = names(as(o, 'List')?.items);
      return { key: listKey(parts), label: parts.join('.'), location: undefined };
    });
  }
  const view = as(node, 'ViewStmt');
  if (view) return view.replace ? locked(view.view) : [];
  const create = as(node, 'CreateStmt');
  if (create) return create.partbound ? (create.inhRelations ?? []).flatMap((r) => locked(as(r, 'RangeVar'))) : [];
  const policy = as(node, 'CreatePolicyStmt') ?? as(node, 'AlterPolicyStmt');
  if (policy) return locked(policy.table);
  const truncate = as(node, 'TruncateStmt');
  if (truncate) return (truncate.relations ?? []).flatMap((r) => locked(as(r, 'RangeVar')));
  const lock = as(node, 'LockStmt');
  if (lock) {
    if ((lock.mode ?? ACCESS_EXCLUSIVE_MODE) !== ACCESS_EXCLUSIVE_MODE) return [];
    return (lock.relations ?? []).flatMap((r) => locked(as(r, 'RangeVar')));
  }
  const vacuum = as(node, 'VacuumStmt');
  if (vacuum) {
    const full = (vacuum.options ?? []).some((o) => as(o, 'DefElem')?.defname === 'full' && as(as(o, 'DefElem')?.arg, 'Boolean')?.boolval !== false);
    return full ? (vacuum.rels ?? []).flatMap((r) => locked(as(r, 'VacuumRelation')?.relation)) : [];
  }
  const cluster = as(node, 'ClusterStmt');
  if (cluster) return locked(cluster.relation);
  const reindex = as(node, 'ReindexStmt');
  if (reindex) {
    const concurrent = (reindex.params ?? []).some((p) => as(p, 'DefElem')?.defname === 'concurrently');
    return concurrent ? [] : locked(reindex.relation);
  }
  const refresh = as(node, 'RefreshMatViewStmt');
  if (refresh) return refresh.concurrent ? [] : locked(refresh.relation);
  return [];
};

/** The existing relations (not created earlier in the file) `statement` locks ACCESS EXCLUSIVE. */
export const existingAccessExclusive = (statement: ParsedStatement, state: FileState): LockedRelation[] =>
  accessExclusiveLocks(statement.node as Node).filter(
    (r) => !state.createdTables.has(r.key) && !state.createdIndexes.has(r.key),
  );
