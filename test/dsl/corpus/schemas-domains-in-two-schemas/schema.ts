// Corpus case: sqldef/tests_schemas/CreateSchemasWithDomains
import { integer, schema, sql, text } from '../../../../src/index.js';

export const a = schema('test_schema_a');
export const b = schema('test_schema_b');

export const amountA = a.domain('amount', integer(), { checks: [sql`VALUE > 0`] });
export const amountB = b.domain('amount', integer(), { checks: [sql`VALUE < 0`] });
export const emailA = a.domain('email', text(), { checks: [sql`VALUE ~ '@'`] });
export const statusB = b.domain('status', text(), { default: 'pending' });
