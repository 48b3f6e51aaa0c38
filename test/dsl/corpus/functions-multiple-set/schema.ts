// Corpus case: sqldef/tests_functions/CreateFunctionWithMultipleSet
import { fn } from '../../../../src/index.js';

export const configuredFunction = fn('configured_function', {
  returns: 'void',
  language: 'plpgsql',
  set: { search_path: 'public', statement_timeout: `'30s'` },
  body: `
BEGIN
  -- function with multiple SET parameters
END;
`,
});
