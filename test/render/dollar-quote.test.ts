/**
 * Dollar quotes around names: a DO block or a function body that holds a name (or an expression) must not end where
 * the name holds the tag. The database reads `dollarQuoted(body)` back as exactly `body` for any body, and a table
 * whose name carries `$kk$; DROP TABLE …` goes through the DO block that renames PostgreSQL's own NOT NULL name
 * (and the trigger functions of online recipes) without running anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../src/model/schema.js';
import { renameNotNullConstraintSql } from '../../src/render/column.js';
import { fillTriggerSql } from '../../src/render/online.js';
import { dollarQuoted, ident } from '../../src/render/quote.js';
import { backends, withFreshDb } from '../support/backends.js';

const all = await backends();
const runs = Number(process.env.KEIKAKU_PROPERTY_RUNS ?? 40);

/** Text rich in what closes dollar quotes: `$`, `kk`, digits. */
const body = fc.array(fc.constantFrom('$', 'k', 'kk', '$kk$', '$kk', 'kk$', '$$', '1', 'a', ' ', "'", '\n'), { maxLength: 12 }).map((a) => a.join(''));

describe.each(all)('dollar quotes on $title', (backend) => {
  it('the database reads dollarQuoted(body) back as body', async () => {
    await withFreshDb(backend, async (db) => {
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('$kk$', '$$', '$roles$'), async (text, first) => {
          const [row] = await db.query<{ v: string }>(`SELECT ${dollarQuoted(text, first)}::text AS v`);
          expect(row!.v).toBe(text);
        }),
        { numRuns: runs },
      );
    });
  });

  it('a name holding the tag runs nothing but the planned statement', async () => {
    await withFreshDb(backend, async (db) => {
      const name = "t$kk$; DROP TABLE victim; --";
      await db.exec(`CREATE TABLE victim (id int); CREATE TABLE ${ident(name)} (id int NOT NULL, c text)`);
      // As in a migration file, whose routines are checked only when they run.
      await db.exec('SET check_function_bodies = off');
      // Only the table's schema and name (and the column's name) reach these renderers.
      const t = { schema: 'public', name } as unknown as Table;
      await db.exec(renameNotNullConstraintSql(t, `${name}_id_not_null`, 'renamed_not_null'));
      for (const s of fillTriggerSql(t, { name: 'c$kk$' } as unknown as Column, `'x$kk$y; DROP TABLE victim; --'`)) await db.exec(s);
      expect(await db.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'victim'`)).toEqual([{ n: 1 }]);
    });
  });
});
