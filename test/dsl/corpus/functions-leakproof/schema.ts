// Corpus case: sqldef/tests_functions/CreateFunctionLeakproof
import { fn, text } from '../../../../src/index.js';

export const safeCompare = fn('safe_compare', {
  args: [{ name: 'a', type: text() }, { name: 'b', type: text() }],
  returns: 'boolean',
  language: 'plpgsql',
  volatility: 'immutable',
  leakproof: true,
  body: `
BEGIN
  RETURN a = b;
END;
`,
});
