// Corpus case: sqldef/tests_policies/CreatePolicyOnNonDefaultSchemaTable
import { bigint, policy, schema } from '../../../../src/index.js';

export const app = schema('app');

export const users = app.table('users', {
  id: bigint().primaryKey(),
  tenantId: bigint(),
}, () => [policy('p_users', { as: 'permissive', for: 'all', to: 'public', using: 'tenant_id = 1' })]);
