/** Rules about one kind of statement whatever came before it. */
import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const vacuumFull: LintRule = {
  id: 'vacuum-full',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'VACUUM FULL',
  rewrite: 'plain VACUUM (no lock on reads or writes), or a tool that repacks online (pg_repack / pg_squeeze)',
  check(ctx) {
    const vacuum = as(nodeOf(ctx), 'VacuumStmt');
    const full = (vacuum?.options ?? []).some((o) => as(o, 'DefElem')?.defname === 'full' && as(as(o, 'DefElem')?.arg, 'Boolean')?.boolval !== false);
    if (!vacuum || !full) return [];
    return [{ message: 'VACUUM FULL rewrites each table into a new file under an ACCESS EXCLUSIVE lock: no reads or writes meanwhile' }];
  },
};

export const cluster: LintRule = {
  id: 'cluster',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'CLUSTER',
  rewrite: 'a tool that reorders online (pg_repack), or CLUSTER in a maintenance window',
  check(ctx) {
    const c = as(nodeOf(ctx), 'ClusterStmt');
    if (!c || (c.relation && !existing(ctx, c.relation))) return [];
    const what = c.relation ? label(c.relation) : 'every previously clustered table';
    return [{ location: c.relation?.location, message: `CLUSTER rewrites ${what} in index order under an ACCESS EXCLUSIVE lock` }];
  },
};

export const truncate: LintRule = {
  id: 'truncate',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'TRUNCATE of an existing table',
  rewrite: 'copy the rows into keikaku_archive first, or DELETE in batches if the data must go',
  check(ctx) {
    const t = as(nodeOf(ctx), 'TruncateStmt');
    const tables = (t?.relations ?? []).map((r) => as(r, 'RangeVar')).filter((rv) => existing(ctx, rv));
    if (tables.length === 0) return [];
    const cascade = t?.behavior === 'DROP_CASCADE' ? ' (and, with CASCADE, of every table referencing them)' : '';
    return [
      {
        location: tables[0]?.location,
        message: `TRUNCATE deletes every row of ${tables.map(label).join(', ')}${cascade} under an ACCESS EXCLUSIVE lock, with no copy kept`,
      },
    ];
  },
};

export const lockTable: LintRule = {
  id: 'lock-table',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'warning',
  description: 'LOCK TABLE in ACCESS EXCLUSIVE mode (the default)',
  rewrite: 'take the weakest mode that protects what the migration does (e.g. SHARE ROW EXCLUSIVE blocks writes, not reads), with a lock_timeout',
  check(ctx) {
    const lock = as(nodeOf(ctx), 'LockStmt');
    if (!lock || (lock.mode ?? 8) !== 8) return [];
    const tables = (lock.relations ?? []).map((r) => as(r, 'RangeVar')).filter((rv) => existing(ctx, rv));
    if (tables.length === 0) return [];
    return [{ location: tables[0]?.location, message: `LOCK TABLE ${tables.map(label).join(', ')} blocks every read and write of them until the transaction ends` }];
  },
};

export const updateWithoutWhere: LintRule = {
  id: 'update-without-where',
  hazard: 'BACKFILL',
  severity: 'error',
  description: 'UPDATE of a whole existing table in one statement',
  rewrite: 'backfill in batches by primary key (UPDATE … WHERE id > $last AND id <= $next), one transaction per batch',
  check(ctx) {
    const u = as(nodeOf(ctx), 'UpdateStmt');
    if (!u || u.whereClause || !existing(ctx, u.relation)) return [];
    return [
      {
        location: u.relation?.location,
        message: `UPDATE without WHERE locks every row of ${label(u.relation)} until it commits (concurrent writes to any row wait) and writes a new version of each row at once`,
      },
    ];
  },
};

export const deleteWithoutWhere: LintRule = {
  id: 'delete-without-where',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'DELETE of a whole existing table',
  rewrite: 'copy the rows into keikaku_archive first; delete in batches',
  check(ctx) {
    const d = as(nodeOf(ctx), 'DeleteStmt');
    if (!d || d.whereClause || !existing(ctx, d.relation)) return [];
    return [{ location: d.relation?.location, message: `DELETE without WHERE removes every row of ${label(d.relation)} in one transaction` }];
  },
};

export const refreshMatviewConcurrently: LintRule = {
  id: 'refresh-matview-concurrently',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
  rewrite: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)',
  check(ctx) {
    const r = as(nodeOf(ctx), 'RefreshMatViewStmt');
    if (!r || r.concurrent || r.skipData || !existing(ctx, r.relation)) return [];
    return [{ location: r.relation?.location, message: `refreshing ${label(r.relation)} locks it ACCESS EXCLUSIVE: reads of the view wait until the query finishes` }];
  },
};
