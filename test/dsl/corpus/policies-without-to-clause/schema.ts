// Corpus case: sqldef/tests_policies/CreatePolicyWithoutToClauseOnNonDefaultSchema
import { bigint, policy, schema, sql } from '../../../../src/index.js';

export const app = schema('app');

const sameTenant = sql`tenant_id::text = current_setting('app.tenant_id', true)::text`;

export const accounts = app.table('accounts', {
  id: bigint().primaryKey(),
  tenantId: bigint(),
}, () => [policy('p_accounts', { using: sameTenant, withCheck: sameTenant })]);
