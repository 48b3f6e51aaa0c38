/**
 * plan.md and the SQL scripts as text (no database): the rollback section shows multi-line statements whole, and a
 * name cannot end a comment, a code span, a table row, a fence or a mermaid label.
 */
import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../src/emit/plan-md.js';
import { renderScript } from '../../src/emit/script.js';
import type { Change } from '../../src/model/change.js';
import type { Phase, Step } from '../../src/model/plan.js';

const step = (name: string, sql: string[], reverse: string[], purpose?: string): Step => ({
  change: { kind: 'create_table', to: { schema: 'public', name } } as unknown as Change,
  sql,
  reverse,
  transactional: true,
  reverseTransactional: true,
  hazards: [{ code: 'DELETES_DATA', message: `drops ${name}` }],
  lock: 'access_exclusive',
  creates: [],
  drops: [],
  requires: [],
  releases: [],
  ...(purpose ? { purpose } : {}),
});

const BODY = 'CREATE FUNCTION "public"."f"() RETURNS integer LANGUAGE sql AS $$\nSELECT 1\n  + 2\n$$;';
const meta = { id: '20260101000000_x', parent: null, renames: [], strategy: 'phased' as const };

describe('plan.md rollback', () => {
  it('shows every line of a multi-line statement, in a fence no line of it closes', () => {
    const phases: Phase[] = [{ name: 'expand', steps: [step('f', [BODY], [BODY, 'DROP TABLE "a```b";'])] }];
    const md = renderPlanMarkdown(meta, phases);
    const rollback = md.slice(md.indexOf('## Rollback'));
    expect(rollback).toContain('  ````sql\n  CREATE FUNCTION "public"."f"() RETURNS integer LANGUAGE sql AS $$\n  SELECT 1\n    + 2\n  $$;\n  DROP TABLE "a```b";\n  ````');
  });
});

describe('a hostile name in plan.md and the scripts', () => {
  const name = 'inj\nDROP TABLE "表"; -- `x` | */ \u001b[31m\u202e';
  const s = step(name, [`CREATE TABLE "public"."${name.replace(/"/g, '""')}" (id int);`], [`DROP TABLE "public"."${name.replace(/"/g, '""')}";`], `fill ${name}`);
  const phases: Phase[] = [{ name: 'expand', steps: [s] }];

  it('stays on its comment line in the up and down scripts', () => {
    for (const direction of ['up', 'down'] as const) {
      const script = renderScript([s], direction, [`header ${name}`]);
      const comments = script.split('\n').filter((l) => l.startsWith('--'));
      expect(comments).toHaveLength(2);
      for (const c of comments) {
        expect(c).toContain('inj\\nDROP TABLE "表"; -- `x` | *\\/ \\x1b[31m\\u202e');
        expect(c).not.toMatch(/[\u0000-\u001f\u202e]/);
      }
      // Outside the statement itself, no line begins with the name's SQL.
      expect(script.split('\n').filter((l) => l.startsWith('DROP TABLE "表"'))).toEqual([]);
    }
  });

  it('is one escaped line in each markdown place', () => {
    const md = renderPlanMarkdown(meta, phases);
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    const row = md.split('\n').find((l) => l.startsWith('| expand |'))!;
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(row).toContain('inj\\\\nDROP TABLE "表"; -- \\`x\\` \\| \\*/');
    const hazard = md.split('\n').find((l) => l.startsWith('- **DELETES_DATA**'))!;
    expect(hazard).toContain('drops inj\\\\nDROP TABLE');
    // The only lines that start with the name's SQL are inside the rollback fence (the statement itself).
    const outside = md.split(/````sql[\s\S]*?````/).join('');
    expect(outside.split('\n').filter((l) => l.trimStart().startsWith('DROP TABLE "表"'))).toEqual([]);
  });
});

describe('plan.md restore points', () => {
  it("ends the rollback section with how to use the restore points apply records (PITR, a provider's branch)", () => {
    const md = renderPlanMarkdown(meta, [{ name: 'expand', steps: [step('t', ['CREATE TABLE t ();'], ['DROP TABLE t;'])] }]);
    const rollback = md.slice(md.indexOf('## Rollback'));
    const section = rollback.slice(rollback.indexOf('### When the downs are not enough: restore points'));
    expect(section).not.toBe(rollback);
    for (const s of ['`keikaku status`', '`recovery_target_name`', '`recovery_target_lsn`', '`recovery_target_time`', "provider's branch"]) expect(section).toContain(s);
  });
});
