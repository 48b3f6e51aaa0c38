// Corpus case: sqldef/tests_domains/CreateDomainQuantity
import { domain, integer, sql } from '../../../../src/index.js';

export const quantity = domain('quantity', integer(), { default: 0, notNull: true, checks: [sql`VALUE >= 0`] });
