// Corpus case: sqldef/tests_domains/CreateDomainWithMultipleNamedChecks
import { check, domain, numeric, sql } from '../../../../src/index.js';

export const percentage = domain('percentage', numeric({ precision: 5, scale: 2 }), {
  checks: [check('min_check', sql`VALUE >= 0.0`), check('max_check', sql`VALUE <= 100.0`)],
});
