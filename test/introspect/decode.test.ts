import { describe, expect, it } from 'vitest';
import { grants, int, intArray, json, RowShapeError, textArray, textOrNull } from '../../src/introspect/decode.js';

describe('row readers', () => {
  it('accept what either driver returns', () => {
    expect(int({ a: 5 }, 'a')).toBe(5);
    expect(int({ a: '5' }, 'a')).toBe(5);
    expect(int({ a: 5n }, 'a')).toBe(5);
    expect(intArray({ a: [1, '2'] }, 'a')).toEqual([1, 2]);
    expect(json({ a: '{"x":1}' }, 'a')).toEqual({ x: 1 });
    expect(json({ a: { x: 1 } }, 'a')).toEqual({ x: 1 });
    expect(textOrNull({ a: null }, 'a')).toBeNull();
    expect(textOrNull({}, 'a')).toBeNull();
  });

  it('reject rows of the wrong shape', () => {
    expect(() => int({ a: 'x' }, 'a')).toThrow(RowShapeError);
    expect(() => textArray({ a: '{a,b}' }, 'a')).toThrow(/field "a" should be an array/);
  });

  it('sort grants, merge those from several grantors, and read a missing ACL as none', () => {
    const g = (grantee: string, privilege: string) => ({ grantee, privilege, grantable: false });
    expect(grants({ a: [g('b', 'SELECT'), g('PUBLIC', 'USAGE'), g('b', 'INSERT'), g('b', 'SELECT')] }, 'a')).toEqual([
      g('PUBLIC', 'USAGE'),
      g('b', 'INSERT'),
      g('b', 'SELECT'),
    ]);
    expect(grants({ a: null }, 'a')).toEqual([]);
  });
});
