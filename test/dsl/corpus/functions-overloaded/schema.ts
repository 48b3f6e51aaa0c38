// Corpus case: sqldef/tests_functions/OverloadedFunctionsBothReplacedInPlace
import { fn, integer, text } from '../../../../src/index.js';

export const ovlInteger = fn('ovl', {
  args: [{ name: 'a', type: integer() }],
  returns: integer(),
  language: 'plpgsql',
  body: ' BEGIN RETURN 2; END; ',
});

export const ovlText = fn('ovl', {
  args: [{ name: 'a', type: text() }],
  returns: text(),
  language: 'plpgsql',
  body: ` BEGIN RETURN 'b'; END; `,
});
