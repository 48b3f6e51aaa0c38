import { describe, expect, it } from 'vitest';
import { columnKey, schemaKey, tableKey, viewKey } from '../../src/model/keys.js';
import { ObjectIds } from '../../src/introspect/object-ids.js';

describe('ObjectIds', () => {
  it('finds objects by catalog identity, a column the model lacks standing for its relation', () => {
    const ids = new ObjectIds();
    const t = ids.node(tableKey('s', 't'));
    const c = ids.node(columnKey('s', 't', 'c'));
    const v = ids.node(viewKey('s', 'v'));
    ids.add('pg_class', 10, t);
    ids.add('pg_class', 10, c, 2);
    ids.add('pg_class', 20, v);
    expect(ids.nodeOf('pg_class', 10, 2)).toBe(c);
    expect(ids.nodeOf('pg_class', 10, 3)).toBe(t);
    expect(ids.nodeOf('pg_class', 20, 1)).toBe(v);
    expect(ids.nodeOf('pg_type', 10, 0)).toBeUndefined();
    expect(ids.nodeOf('pg_class', 30, 0)).toBeUndefined();
  });

  it('keeps edges unique, without self-edges or unknown ends, sorted by key', () => {
    const ids = new ObjectIds();
    const s = ids.schema('s');
    const b = ids.node(tableKey('s', 'b'));
    const a = ids.node(tableKey('s', 'a'));
    ids.inSchema(b, 's');
    ids.inSchema(a, 's');
    ids.inSchema(a, 'elsewhere');
    ids.edge(b, a);
    ids.edge(b, a);
    ids.edge(a, a);
    ids.edge(a, undefined);
    ids.edge(undefined, s);
    ids.edge(b, tableKey('s', 'later'));
    ids.edge(b, tableKey('s', 'never'));
    ids.node(tableKey('s', 'later'));
    expect(ids.dependencies()).toEqual([
      { from: tableKey('s', 'a'), to: schemaKey('s') },
      { from: tableKey('s', 'b'), to: schemaKey('s') },
      { from: tableKey('s', 'b'), to: tableKey('s', 'a') },
      { from: tableKey('s', 'b'), to: tableKey('s', 'later') },
    ]);
  });
});
