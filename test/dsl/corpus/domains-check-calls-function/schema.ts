// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeDomain_DomainCheck
import { domain, fn, sql, text } from '../../../../src/index.js';

export const isEmail = fn('is_email', {
  args: [{ name: 's', type: text() }],
  returns: 'boolean',
  language: 'plpgsql',
  volatility: 'immutable',
  body: ` BEGIN RETURN s LIKE '%@%'; END; `,
});

export const email = domain('email', text(), { checks: [sql`${isEmail}(VALUE)`] });
