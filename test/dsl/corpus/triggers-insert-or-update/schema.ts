// Corpus case: sqldef/tests_functions/CreateOrReplaceFunctionWithTrigger
import { fn, serial, table, text, trigger } from '../../../../src/index.js';

export const checkTestTypeRequiresPermit = fn('check_test_type_requires_permit', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  IF NEW.test_type = 'required' AND NEW.permit IS NULL THEN
    RAISE EXCEPTION 'Permit is required for this status value';
  END IF;
  RETURN NEW;
END;
`,
});

export const deviceTests = table('device_tests', {
  id: serial().primaryKey(),
  testType: text(),
  permit: text(),
}, () => [
  trigger('enforce_required_permit', {
    timing: 'before',
    events: ['insert', 'update'],
    forEach: 'row',
    function: checkTestTypeRequiresPermit,
  }),
]);
