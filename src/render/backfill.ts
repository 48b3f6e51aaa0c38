/**
 * Data moved in batches by primary key (DESIGN §6 backfill): one DO block that updates a batch, commits it and
 * reports `keikaku:progress` as a NOTICE, so locks are held for one batch only and a crash loses one batch at
 * most. It is resumable: a batch touches only rows still `pending`, so a second run skips finished rows.
 * The block commits, so it must run outside a transaction block (its step is non-transactional).
 *
 * Run by `keikaku apply` (which sets `keikaku.journal_seq` for the session, `apply/run-phase.ts`), each batch also
 * records the rows committed so far in `keikaku.backfill_progress`, in the batch's own transaction, so `status`
 * can say how far an interrupted backfill got. Run by anything else (psql), the setting is absent and nothing is
 * recorded. Between batches it waits at the replica-lag gate (`BACKFILL_GATE_KEYS`), free unless `apply` holds it.
 */
import type { Column, Table } from '../model/schema.js';
import { dollarQuoted, ident, literal } from './quote.js';
import { tableName } from './table.js';

export interface BatchedUpdate {
  readonly table: Table;
  /** Primary key columns, in key order. */
  readonly key: readonly Column[];
  /** The SET list, e.g. `"c" = lower("email")`. */
  readonly set: string;
  /** Rows that still need the update, e.g. `"c" IS NULL`. */
  readonly pending: string;
  readonly batchSize: number;
  /** Seconds to sleep between batches (0: none). */
  readonly pause: number;
}


export const PROGRESS_PREFIX = 'keikaku:progress';

/**
 * The two int4 keys of the advisory lock a batched backfill waits on between batches: "keik" and "gat". keikaku
 * holds it exclusively while a streaming replica lags more than `backfill.maxReplicaLag` allows.
 */
export const BACKFILL_GATE_KEYS: readonly [number, number] = [0x6b65696b, 0x67617400];

export const batchedUpdateSql = (u: BatchedUpdate): string => {
  const t = tableName(u.table);
  const keys = u.key.map((c) => ident(c.name));
  const tuple = (xs: readonly string[]) => (xs.length === 1 ? xs[0]! : `(${xs.join(', ')})`);
  const lo = u.key.map((_, i) => `lo_${i + 1}`);
  const hi = u.key.map((_, i) => `hi_${i + 1}`);
  const asc = keys.join(', ');
  const desc = keys.map((k) => `${k} DESC`).join(', ');
  const next = (where: string) =>
    `SELECT ${asc} INTO ${hi.join(', ')} FROM (SELECT ${asc} FROM ${t}${where} ORDER BY ${asc} LIMIT ${u.batchSize}) AS b ORDER BY ${desc} LIMIT 1;`;
  const name = literal(`${u.table.schema}.${u.table.name}`);
  const progress = `RAISE NOTICE '${PROGRESS_PREFIX} table=% done=% total=%', ${name}, done, total;`;
  const record = [
    "    IF current_setting('keikaku.journal_seq', true) <> '' THEN",
    '      INSERT INTO keikaku.backfill_progress AS p (seq, table_name, target, done, total)',
    `        VALUES (current_setting('keikaku.journal_seq')::bigint, ${name}, ${literal(u.set)}, done, total)`,
    '        ON CONFLICT (seq, table_name, target) DO UPDATE SET done = EXCLUDED.done, updated_at = clock_timestamp();',
    '    END IF;',
  ];
  const body = [
    'DECLARE',
    ...u.key.flatMap((c, i) => [`  ${lo[i]} ${c.type};`, `  ${hi[i]} ${c.type};`]),
    '  started boolean := false;',
    '  n bigint;',
    '  done bigint := 0;',
    '  total bigint;',
    'BEGIN',
    `  SELECT count(*) INTO total FROM ${t} WHERE ${u.pending};`,
    `  ${progress}`,
    '  LOOP',
    '    IF started THEN',
    `      ${next(` WHERE ${tuple(keys)} > ${tuple(lo)}`)}`,
    '    ELSE',
    `      ${next('')}`,
    '    END IF;',
    '    EXIT WHEN NOT FOUND;',
    '    IF started THEN',
    `      UPDATE ${t} SET ${u.set} WHERE ${tuple(keys)} > ${tuple(lo)} AND ${tuple(keys)} <= ${tuple(hi)} AND ${u.pending};`,
    '    ELSE',
    `      UPDATE ${t} SET ${u.set} WHERE ${tuple(keys)} <= ${tuple(hi)} AND ${u.pending};`,
    '    END IF;',
    '    GET DIAGNOSTICS n = ROW_COUNT;',
    '    done := done + n;',
    ...lo.map((l, i) => `    ${l} := ${hi[i]};`),
    '    started := true;',
    `    ${progress}`,
    ...record,
    '    COMMIT;',
    // The replica-lag gate (apply/throttle.ts): waits, between batches, while keikaku holds the gate because a
    // replica lags too far; free, it is granted at once. No lock_timeout for this wait, which is on purpose.
    "    PERFORM set_config('lock_timeout', '0', true);",
    `    PERFORM pg_advisory_xact_lock_shared(${BACKFILL_GATE_KEYS[0]}, ${BACKFILL_GATE_KEYS[1]});`,
    '    COMMIT;',
    ...(u.pause > 0 ? [`    PERFORM pg_sleep(${u.pause});`] : []),
    '  END LOOP;',
    'END',
  ].join('\n');
  return `DO ${dollarQuoted(`\n${body}\n`)};`;
};

/** A DO block that refuses, naming the count, when rows match `where` (e.g. a value about to be removed). */
export const refuseIfRowsSql = (table: Table, where: string, message: string): string => {
  const body = [
    'DECLARE n bigint;',
    'BEGIN',
    `  SELECT count(*) INTO n FROM ${tableName(table)} WHERE ${where};`,
    `  IF n > 0 THEN RAISE EXCEPTION '%', format(${literal(message)}, n); END IF;`,
    'END',
  ].join('\n');
  return `DO ${dollarQuoted(`\n${body}\n`)};`;
};
