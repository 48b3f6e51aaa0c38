// Corpus case: sqldef/tests_triggers/CreateTriggerUpdateOfMultipleColumns
import { fn, serial, table, trigger, varchar } from '../../../../src/index.js';

export const addressesUpdateCheck = fn('addresses_update_check', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  RETURN NEW;
END;
`,
});

export const addresses = table('addresses', {
  id: serial().primaryKey(),
  street1: varchar(),
  street2: varchar(),
}, (t) => [
  trigger('addresses_update_trigger', {
    timing: 'before',
    events: 'update',
    updateOf: [t.street1, t.street2],
    forEach: 'row',
    function: addressesUpdateCheck,
  }),
]);
