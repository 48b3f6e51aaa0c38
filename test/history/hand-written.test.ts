/**
 * Hand-written migrations and hand edits, through the stages: `generate --empty`'s folder (renderHandWritten) filled
 * in and applied and undone on both backends; `rehash` signing edits (recording generated phase files as edited,
 * refusing what re-signing cannot mend); a reviewer's note in plan.md never making apply refuse.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import type { RunResult } from '../../src/apply/types.js';
import { renderHandWritten } from '../../src/emit/hand-written.js';
import { rehash } from '../../src/history/rehash.js';
import { readHistory } from '../../src/load/migrations.js';
import { backends, withFreshDb } from '../support/backends.js';
import { removeTempDirs, resum, tempDir, tx, upRequest, writeMigrations } from '../apply/support.js';

afterAll(removeTempDirs);

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};

const A = '20260101000000_a';
const B = '20260102000000_fill_names';

/** History: a generated-looking `a` (table t), then a hand-written `fill_names` filled in and signed. */
const project = (): string => {
  const generated = writeMigrations(tempDir(), [{ id: A, phases: [{ name: 'expand', up: tx('CREATE TABLE t (id int PRIMARY KEY, name text)'), down: tx('DROP TABLE t') }] }]);
  const dir = join(generated, 'migrations', B);
  mkdirSync(dir);
  for (const [f, text] of renderHandWritten({ id: B, parent: A })) writeFileSync(join(dir, f), text);
  resum(generated); // as generate --empty signs what it writes
  appendFileSync(join(dir, '1_expand.up.sql'), tx(`INSERT INTO t VALUES (1, 'one'), (2, 'two')`));
  appendFileSync(join(dir, '1_expand.down.sql'), tx('DELETE FROM t WHERE id IN (1, 2)'));
  return generated;
};

const apply = (generated: string, extra = {}) => upRequest(generated, extra);

describe('generate --empty / rehash (files)', () => {
  it('the empty migration follows the head, says handWritten, and runs only the phases whose files exist', () => {
    const files = renderHandWritten({ id: B, parent: A });
    expect([...files.keys()].sort()).toEqual(['1_expand.down.sql', '1_expand.up.sql', 'plan.json', 'plan.md']);
    expect(JSON.parse(files.get('plan.json')!)).toMatchObject({ id: B, parent: A, handWritten: true });
    expect(files.get('1_expand.up.sql')).toContain('keikaku rehash');
    // Every header line is a comment: the file as written runs nothing.
    expect(files.get('1_expand.up.sql')!.split('\n').filter((l) => l && !l.startsWith('--'))).toEqual([]);
  });

  it('rehash signs a filled-in hand-written migration without marking it; an edited generated file is recorded in plan.json', () => {
    const generated = project();
    expect(readHistory(generated).problems.map((p) => p.code)).toEqual(['FILE_EDITED', 'FILE_EDITED']);
    const r = rehash(generated);
    if (r.kind !== 'signed') throw new Error('refused');
    expect(r.signed.map((s) => `${s.change} ${s.file}`).sort()).toEqual([`edited ${B}/1_expand.down.sql`, `edited ${B}/1_expand.up.sql`]);
    expect(r.marked).toEqual([]);
    for (const [path, text] of r.writes) writeFileSync(path, text);
    expect(readHistory(generated).problems).toEqual([]);

    appendFileSync(join(generated, 'migrations', A, '1_expand.up.sql'), tx('CREATE INDEX t_name ON t (name)'));
    const again = rehash(generated);
    if (again.kind !== 'signed') throw new Error('refused');
    expect(again.marked).toEqual([`${A}/1_expand.up.sql`]);
    for (const [path, text] of again.writes) writeFileSync(path, text);
    const history = readHistory(generated);
    expect(history.problems).toEqual([]);
    expect(history.migrations[0]!.plan.edited).toEqual(['1_expand.up.sql']);
    // Nothing left to sign: nothing written.
    const third = rehash(generated);
    expect(third.kind === 'signed' && third.writes.size).toBe(0);
  });

  it('rehash refuses what re-signing cannot mend: two heads', () => {
    const generated = writeMigrations(tempDir(), [
      { id: A, phases: [{ name: 'expand', up: tx('CREATE TABLE t (id int)') }] },
      { id: '20260102000000_x', parent: A, phases: [{ name: 'expand', up: tx('CREATE TABLE x (id int)') }] },
      { id: '20260103000000_y', parent: A, phases: [{ name: 'expand', up: tx('CREATE TABLE y (id int)') }] },
    ]);
    const r = rehash(generated);
    expect(r.kind === 'refused' && r.problems.map((p) => p.code)).toEqual(['TWO_HEADS']);
  });
});

describe.each(await backends())('a hand-written migration and a reviewer\'s note on $title', (backend) => {
  it('is applied and undone like a generated one; an unsigned plan.md note is a note, not a refusal', () =>
    withFreshDb(backend, async (db) => {
      const generated = project();
      const r = rehash(generated);
      if (r.kind !== 'signed') throw new Error('refused');
      for (const [path, text] of r.writes) writeFileSync(path, text);
      // A reviewer writes into a plan.md after it was signed.
      const planMd = join(generated, 'migrations', B, 'plan.md');
      writeFileSync(planMd, `${readFileSync(planMd, 'utf8')}\n> Reviewed: run this off-peak.\n`);
      const history = readHistory(generated);
      expect(history.problems).toEqual([]);
      expect(history.notes?.map((n) => n.code)).toEqual(['FILE_EDITED']);
      expect(history.notes?.[0]?.message).toContain('keikaku rehash');

      done(await runMigrations(db, apply(generated)));
      expect(await db.query(`SELECT id, name FROM t ORDER BY id`)).toEqual([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ]);
      done(await runMigrations(db, { ...apply(generated), direction: 'down', steps: 1 }));
      expect(await db.query(`SELECT count(*)::int AS n FROM t`)).toEqual([{ n: 0 }]);
      // The other files are still guarded: an unsigned edit of an up file refuses.
      appendFileSync(join(generated, 'migrations', B, '1_expand.up.sql'), '-- more\n');
      const refused = await runMigrations(db, apply(generated));
      expect(refused.outcome).toBe('refused');
    }));
});
