// Corpus case: sqldef/tests_triggers/CreateTriggerWithoutForEachRow
import { fn, serial, table, text, trigger } from '../../../../src/index.js';

export const notifyFunc = fn('notify_func', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  RETURN NEW;
END;
`,
});

export const users = table('users', {
  id: serial().primaryKey(),
  name: text(),
}, () => [trigger('notify_change', { timing: 'after', events: 'insert', function: notifyFunc })]);
