// Corpus case: sqldef/tests_functions/FunctionReturningTable
import { fn } from '../../../../src/index.js';

export const getUsers = fn('get_users', {
  returns: 'TABLE(id integer, name text)',
  language: 'plpgsql',
  body: `
BEGIN
  RETURN QUERY SELECT 1, 'test'::text;
END;
`,
});
