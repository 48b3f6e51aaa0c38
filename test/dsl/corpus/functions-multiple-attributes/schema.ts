// Corpus case: sqldef/tests_functions/CreateFunctionWithMultipleAttributes
import { fn, text } from '../../../../src/index.js';

export const computeHash = fn('compute_hash', {
  args: [{ name: 'val', type: text() }],
  returns: text(),
  language: 'plpgsql',
  volatility: 'immutable',
  strict: true,
  parallel: 'safe',
  cost: 10,
  body: `
BEGIN
  RETURN md5(val);
END;
`,
});
