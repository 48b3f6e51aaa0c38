// Corpus case: sqldef/tests_functions/CreateFunctionSecurityDefinerWithSearchPath
import { fn } from '../../../../src/index.js';

export const adminOperation = fn('admin_operation', {
  language: 'plpgsql',
  securityDefiner: true,
  volatility: 'stable',
  set: { search_path: 'admin, pg_temp' },
  body: `
BEGIN
  -- secure admin operation
END;
`,
});
