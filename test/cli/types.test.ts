/**
 * `keikaku types --kysely FILE`: the file written for the example app (schema/) and for a schema of hostile names,
 * then a query file type-checked against it with tsc and the real Kysely types: the queries that must compile do,
 * and each `@ts-expect-error` (a missing required column, an unknown column, a GENERATED ALWAYS column, a
 * value that is not an enum label) must be an error; a view has no column to insert or update. For the example app, `Selectable<DB[…]>` and `InferDbRow<typeof …>`
 * are the same type both ways.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { emptyDir, project, removeProjects } from './tmp-project.js';

beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const tsc = (dir: string, file: string) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', file],
      { cwd: dir },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: `${stdout}${stderr}` }),
    );
  });

describe('keikaku types --kysely', () => {
  it('the example app: the file type-checks queries with Kysely, and agrees with InferDbRow', { timeout: 600_000 }, async () => {
    const dir = emptyDir();
    const r = await runCliIn(projectRoot, 'types', '--kysely', join(dir, 'db.ts'), '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tables: 12, views: 1 });
    const tables = ['auditLogs', 'staffs', 'offices', 'billingAccounts', 'supportPlans', 'welfareRecipients'];
    writeFileSync(
      join(dir, 'queries.ts'),
      `import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { InferDbRow } from 'keikaku';
import type { DB } from './db.js';
import { auditLogs } from '../../schema/audit.js';
import { staffs } from '../../schema/staffs.js';
import { offices } from '../../schema/offices.js';
import { billingAccounts } from '../../schema/integrations.js';
import { supportPlans, welfareRecipients } from '../../schema/recipients.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;
${tables.map((t) => `same<Same<Selectable<DB['${t.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}']>, InferDbRow<typeof ${t}>>>(true);`).join('\n')}

declare const db: Kysely<DB>;
export const queries = async () => {
  const staff = await db.selectFrom('staffs').select(['id', 'office_id', 'role', 'created_at']).executeTakeFirstOrThrow();
  const role: 'owner' | 'manager' | 'employee' = staff.role;
  const at: Date = staff.created_at;
  await db.insertInto('staffs').values({ office_id: 'o', name: 'n', email: 'e' }).execute();
  await db.insertInto('audit_logs').values({ action: 'a', at: '2026-01-01T00:00:00Z' }).execute();
  await db.updateTable('staffs').set({ role: 'manager' }).where('id', '=', 'x').execute();
  const plans = await db.selectFrom('active_plans').innerJoin('staffs', 'staffs.office_id', 'active_plans.office_id').select(['active_plans.id', 'staffs.name']).execute();
  const planId: string | null = plans[0]!.id;
  // @ts-expect-error name is NOT NULL without a default: an insert needs it
  await db.insertInto('staffs').values({ office_id: 'o', email: 'e' }).execute();
  // @ts-expect-error the database's names only
  await db.selectFrom('staffs').select('officeId').execute();
  // @ts-expect-error GENERATED ALWAYS AS IDENTITY: never inserted
  await db.insertInto('audit_logs').values({ id: '1', action: 'a' }).execute();
  // A view is read-only: no column of it can be inserted or updated. (Kysely does not reject an object literal
  // for an insert type with no columns, so this is checked on the types.)
  same<Same<keyof Insertable<DB['active_plans']>, never>>(true);
  same<Same<keyof Updateable<DB['active_plans']>, never>>(true);
  // @ts-expect-error an enum takes its labels only
  await db.updateTable('staffs').set({ role: 'boss' }).execute();
  const row: Insertable<DB['offices']> = { name: 'HQ' };
  return [role, at, planId, row];
};
`,
    );
    const checked = await tsc(dir, 'queries.ts');
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
    // The check can fail: a wrong expectation is reported.
    writeFileSync(join(dir, 'wrong.ts'), `import type { Kysely } from 'kysely';\nimport type { DB } from './db.js';\ndeclare const db: Kysely<DB>;\nexport const q = () => db.selectFrom('staffs').select('officeId');\n`);
    expect((await tsc(dir, 'wrong.ts')).out).toContain('officeId');
  });

  it('hostile names: quoted keys, a schema other than public, enum labels and a view; the file compiles and queries type-check', { timeout: 600_000 }, async () => {
    const dir = project({
      'h.ts': `import { enumType, integer, schema, sql, table, text, timestamptz, view } from 'keikaku';

export const billing = schema('bill "ing"');
export const mood = enumType('mo*/od', ['it\\'s', 'a"b', '*/ --', 'new\\nline']);
export const weird = table('we"ird */ name', {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  quoted: text('col "x" */'),
  dashes: integer('--c').notNull(),
  feeling: mood('feel\\u2028ing'),
  at: timestamptz().defaultNow(),
});
export const invoices = billing.table('in-voices', {
  id: integer().primaryKey(),
  total: text('t\\\\o\\\\tal').notNull(),
});
export const weirdView = view('vi\\u0007ew', sql\`SELECT id, "--c" FROM \${weird}\`);
`,
    });
    const r = await runCliIn(dir, 'types', '--kysely', 'db.ts');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('wrote db.ts: Kysely DB interface of 2 tables and 1 view\n');
    const text = readFileSync(join(dir, 'db.ts'), 'utf8');
    expect(text).toContain('"bill \\"ing\\".in-voices": BillIngInVoices;');
    writeFileSync(
      join(dir, 'queries.ts'),
      `import type { Kysely } from 'kysely';
import type { DB } from './db.js';
declare const db: Kysely<DB>;
export const queries = async () => {
  const w = await db.selectFrom('we"ird */ name').select(['col "x" */', '--c', 'feel\\u2028ing']).executeTakeFirstOrThrow();
  const n: number = w['--c'];
  const q: string | null = w['col "x" */'];
  const f: "it's" | 'a"b' | '*/ --' | 'new\\nline' | null = w['feel\\u2028ing'];
  const inv = await db.selectFrom('bill "ing".in-voices').select('t\\\\o\\\\tal').executeTakeFirstOrThrow();
  const t: string = inv['t\\\\o\\\\tal'];
  const v = await db.selectFrom('vi\\u0007ew').selectAll().execute();
  const id: number | null = v[0]!.id;
  await db.insertInto('we"ird */ name').values({ '--c': 1 }).execute();
  // @ts-expect-error GENERATED ALWAYS AS IDENTITY
  await db.insertInto('we"ird */ name').values({ id: 1, '--c': 1 }).execute();
  // @ts-expect-error not a label
  await db.insertInto('we"ird */ name').values({ '--c': 1, 'feel\\u2028ing': 'other' }).execute();
  return [n, q, f, t, id];
};
`,
    );
    const checked = await tsc(dir, 'queries.ts');
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
  });

  it('without --kysely: a usage error naming the flag', async () => {
    const r = await runCliIn(projectRoot, 'types');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('keikaku: name the file to write: keikaku types --kysely src/db.d.ts\n');
  });
});
