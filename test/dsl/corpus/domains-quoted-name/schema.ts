// Corpus case: sqldef/tests_preserve_quotes/DomainQuotedPreservesCase
import { domain, integer, sql, table } from '../../../../src/index.js';

export const positiveInt = domain('PositiveInt', integer(), { checks: [sql`VALUE > 0`] });

export const users = table('users', {
  id: positiveInt(),
  score: positiveInt(),
});
