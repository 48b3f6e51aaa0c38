/**
 * The planner's TABLE_REWRITE hazard on a column type change against the database: for each pair, the statement
 * keikaku renders is run on a filled table and the table's relfilenode compared; a rewrite happened exactly when
 * the plan says TABLE_REWRITE.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/index.js';
import { introspect } from '../../src/introspect/index.js';
import { plan } from '../../src/plan/index.js';
import { backends, withFreshDb } from '../support/backends.js';

const PAIRS: readonly [string, string][] = [
  ['varchar(40)', 'varchar(80)'],
  ['varchar(40)', 'text'],
  ['text', 'varchar(100)'],
  ['varchar(80)', 'varchar(40)'],
  ['numeric(10,2)', 'numeric(12,2)'],
  ['numeric(10,2)', 'numeric(10,3)'],
  ['numeric(10,2)', 'numeric'],
  ['integer', 'bigint'],
  ['bigint', 'integer'],
  ['timestamp(3) with time zone', 'timestamp(6) with time zone'],
  ['timestamp without time zone', 'timestamp with time zone'],
  ['uuid', 'text'],
  ['cidr', 'inet'],
  ['bit varying(8)', 'bit varying(16)'],
  ['integer[]', 'bigint[]'],
  ['varchar(10)[]', 'varchar(20)[]'],
];

const all = await backends();

describe.each(all)('TABLE_REWRITE of a type change ($title)', (backend) => {
  it('is planned exactly when PostgreSQL rewrites the table', async () => {
    const wrong: string[] = [];
    for (const [from, to] of PAIRS)
      await withFreshDb(backend, async (db) => {
        await db.exec(`CREATE TABLE t (id int PRIMARY KEY, c ${from}); INSERT INTO t SELECT g, NULL FROM generate_series(1, 10) g`);
        const current = await introspect(db);
        await db.exec(`CREATE TABLE u (id int PRIMARY KEY, c ${to})`);
        const target = await introspect(db);
        await db.exec('DROP TABLE u');
        const desired = { ...target, tables: target.tables.filter((x) => x.name === 'u').map((x) => ({ ...x, name: 't', constraints: current.tables[0]!.constraints })) };
        const steps = plan(diff(current, desired, [])).steps;
        const says = steps.some((s) => s.hazards.some((h) => h.code === 'TABLE_REWRITE'));
        const filenode = async () => (await db.query<{ f: number }>(`SELECT pg_relation_filenode('t') AS f`))[0]!.f;
        const before = await filenode();
        // timestamp ↔ timestamptz is free only in a UTC session; a target's zone is not known when planning.
        await db.exec(`SET TimeZone = 'Asia/Tokyo'`);
        for (const s of steps) for (const sql of s.sql) await db.exec(sql);
        await db.exec('RESET TimeZone');
        const after = await filenode();
        const did = before !== after;
        if (says !== did) wrong.push(`${from} → ${to}: plan says ${says ? '' : 'no '}rewrite, PostgreSQL ${did ? 'rewrote' : 'did not rewrite'}`);
      });
    expect(wrong).toEqual([]);
  });
});
