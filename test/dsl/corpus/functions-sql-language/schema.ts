// Corpus case: sqldef/tests_functions/CreateFunctionSqlLanguage
import { fn, integer } from '../../../../src/index.js';

export const square = fn('square', {
  args: [{ name: 'val', type: integer() }],
  returns: integer(),
  language: 'sql',
  volatility: 'immutable',
  body: `
  SELECT val * val;
`,
});
