/**
 * The pieces of `pull` that need no database: reading what Postgres prints (constraint and index definitions),
 * names, and printing TypeScript (string literals whose value survives, layout).
 */
import { describe, expect, it } from 'vitest';
import { call, object, print, sqlTemplate, str } from '../../src/pull/code.js';
import { parseConstraintDef } from '../../src/pull/constraint-defs.js';
import { parseIndexDef, parseKeyElement } from '../../src/pull/index-defs.js';
import { camelCase, ExportNames } from '../../src/pull/names.js';
import { splitTop, stripParens } from '../../src/pull/sql-text.js';

describe('constraint definitions', () => {
  it('reads keys, foreign keys, checks and exclusions as pg_get_constraintdef prints them', () => {
    expect(parseConstraintDef('PRIMARY KEY (id, "Region")')).toEqual({ kind: 'primary', columns: ['id', 'Region'], deferrable: false });
    expect(parseConstraintDef('UNIQUE NULLS NOT DISTINCT (a) DEFERRABLE INITIALLY DEFERRED')).toEqual({
      kind: 'unique',
      columns: ['a'],
      nullsNotDistinct: true,
      deferrable: 'deferred',
    });
    expect(parseConstraintDef('FOREIGN KEY (a, b) REFERENCES app."T"(x, y) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE NOT VALID')).toEqual({
      kind: 'foreign',
      columns: ['a', 'b'],
      refSchema: 'app',
      refTable: 'T',
      refColumns: ['x', 'y'],
      match: 'full',
      onUpdate: 'cascade',
      onDelete: 'set null',
      deferrable: 'immediate',
      notValid: true,
    });
    expect(parseConstraintDef("CHECK ((price > (0)::numeric)) NOT VALID")).toEqual({ kind: 'check', expression: 'price > (0)::numeric', noInherit: false, notValid: true });
    expect(parseConstraintDef('EXCLUDE USING gist (room WITH =, tstzrange(starts, ends) WITH &&) WHERE ((room > 0))')).toEqual({
      kind: 'exclude',
      using: 'gist',
      elements: [
        { key: 'room', operator: '=' },
        { key: 'tstzrange(starts, ends)', operator: '&&' },
      ],
      where: 'room > 0',
      deferrable: false,
    });
  });

  it('refuses what it does not recognise instead of guessing', () => {
    expect(parseConstraintDef('PRIMARY KEY (id) INCLUDE (name)')).toBeUndefined();
    expect(parseConstraintDef('FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE SET NULL (a)')).toBeUndefined();
  });
});

describe('index definitions', () => {
  it('reads keys with collation, opclass, order and nulls, INCLUDE, storage parameters and a predicate', () => {
    expect(
      parseIndexDef(
        `CREATE UNIQUE INDEX "I x" ON ONLY app.t USING btree (name COLLATE "C" text_pattern_ops DESC NULLS LAST, lower((email)::text)) INCLUDE (id) WITH (fillfactor='70') WHERE (deleted_at IS NULL)`,
      ),
    ).toEqual({
      unique: true,
      using: 'btree',
      keys: [
        { column: 'name', expression: null, collation: '"C"', opclass: 'text_pattern_ops', order: 'DESC', nulls: 'LAST' },
        { column: null, expression: 'lower((email)::text)', collation: null, opclass: null, order: null, nulls: null },
      ],
      include: ['id'],
      nullsNotDistinct: false,
      with: [['fillfactor', '70']],
      where: 'deleted_at IS NULL',
    });
    expect(parseKeyElement("((notes ->> 'text'::text)) public.gin_trgm_ops")).toMatchObject({ expression: "notes ->> 'text'::text", opclass: 'public.gin_trgm_ops' });
  });
});

describe('SQL text', () => {
  it('splits at top-level commas only, and strips enclosing parentheses', () => {
    expect(splitTop(`a, f(b, c), 'x, y', "q,r"`)).toEqual(['a', 'f(b, c)', `'x, y'`, '"q,r"']);
    expect(splitTop('')).toEqual([]);
    expect(stripParens('((a) AND (b))')).toBe('(a) AND (b)');
    expect(stripParens('(a) AND (b)')).toBe('(a) AND (b)');
  });
});

describe('names', () => {
  it('camelCases SQL names into keys and never hands out a taken, reserved or DSL name', () => {
    expect(['office_id', 'User Name', '2fa', 'HTTP_status', 'already'].map(camelCase)).toEqual(['officeId', 'userName', '_2fa', 'httpStatus', 'already']);
    const names = new ExportNames();
    names.reserve('users');
    expect(names.claim(['users', 'usersTable'])).toBe('usersTable');
    expect(names.claim(['text', 'textTable'])).toBe('textTable');
    expect(names.claim(['delete'])).toBe('delete2');
  });
});

describe('TypeScript text', () => {
  it('writes string literals and sql templates whose values are the original text', () => {
    for (const s of ['plain', "it's", 'say "hi"', `both ' and "`, 'back\\slash', 'line\nbreak', '\u2028']) expect(eval(str(s))).toBe(s);
    const sql = (strings: TemplateStringsArray, ...values: unknown[]) => ({ strings: [...strings], values });
    const text = 'SELECT `a`, ${b}, E\'\\n\' FROM t';
    expect(eval(sqlTemplate([{ text }]))).toEqual({ strings: [text], values: [] });
  });

  it('keeps a call on one line when it fits and hugs a last object argument otherwise', () => {
    expect(print(call('f', ["'a'", object([['x', '1']])]))).toBe("f('a', { x: 1 })");
    const long = call('trigger', ["'t'", object([['timing', "'before'"], ['events', "'update'"], ['forEach', "'row'"], ['function', 'touchUpdatedAtEverywhere'], ['comment', "'a long comment here'"]])]);
    expect(print(long)).toBe(
      "trigger('t', {\n  timing: 'before',\n  events: 'update',\n  forEach: 'row',\n  function: touchUpdatedAtEverywhere,\n  comment: 'a long comment here',\n})",
    );
  });
});
