/**
 * Whether a planned column type change rewrites the table. Widening a length or precision limit (varchar(40) →
 * varchar(80), → text, numeric(10,2) → numeric(12,2)) only changes the catalog, even with the USING cast we write;
 * converting through text, or between types with no binary coercion, rewrites every row (measured:
 * test/lint/premises.test.ts, test/plan/rewrites.test.ts).
 */
import type { Change } from '../model/change.js';
import { formatTypeInfo, typeChange } from '../model/type-change.js';
import { hasCast } from '../render/casts.js';

export const typeChangeRewrites = (c: Extract<Change, { kind: 'alter_column' }>): boolean => {
  const from = formatTypeInfo(c.from.type);
  const to = formatTypeInfo(c.to.type);
  // An array's elements are coerced one by one (an ArrayCoerceExpr): a rewrite even when only a limit grows.
  if (from.array || to.array) return true;
  return c.viaText || !hasCast(c.from.type, c.to.type) || typeChange(from, to, true).rewrites !== false;
};
