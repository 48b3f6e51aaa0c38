// Corpus case: sqldef/tests_functions/CreateFunctionWithDefaultArgs
import { fn, integer, sql, text } from '../../../../src/index.js';

export const concatWithDefault = fn('concat_with_default', {
  args: [
    { name: 'count', type: integer(), default: '1' },
    { name: 'sep', type: text(), default: sql`${'-'}` },
  ],
  returns: text(),
  language: 'plpgsql',
  volatility: 'volatile',
  body: `
BEGIN
  RETURN '';
END
`,
});
