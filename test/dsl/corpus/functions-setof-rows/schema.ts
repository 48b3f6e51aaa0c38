// Corpus case: sqldef/tests_functions/CreateFunctionWithRows
import { fn } from '../../../../src/index.js';

export const generateSeriesCustom = fn('generate_series_custom', {
  args: [{ name: 'n', type: 'integer' }],
  returns: 'SETOF integer',
  language: 'plpgsql',
  rows: 100,
  body: `
BEGIN
  FOR i IN 1..n LOOP
    RETURN NEXT i;
  END LOOP;
END;
`,
});
