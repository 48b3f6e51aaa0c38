// Corpus case: sqldef/tests_indices/IndexWithOperatorClassOnExpression
import { expression, extension, index, integer, jsonb, sql, table, text } from '../../../../src/index.js';

export const pgTrgm = extension('pg_trgm');

export const products = table('products', {
  id: integer().primaryKey(),
  name: text().notNull(),
  notes: jsonb(),
}, (t) => [
  index('idx_trgm_notes_text').using('gin').on(expression(sql`${t.notes} ->> 'text'::text`).op('gin_trgm_ops')),
  index('idx_trgm_lower_name').using('btree').on(expression(sql`lower(${t.name})`).op('text_pattern_ops')),
]);
