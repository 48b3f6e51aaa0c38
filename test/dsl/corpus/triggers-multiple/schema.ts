// Corpus case: sqldef/tests_triggers/CreateMultipleTriggers
import { fn, serial, table, text, trigger } from '../../../../src/index.js';

const body = `
BEGIN
  RETURN NEW;
END;
`;

export const beforeInsertFunc = fn('before_insert_func', { returns: 'trigger', language: 'plpgsql', body });
export const afterInsertFunc = fn('after_insert_func', { returns: 'trigger', language: 'plpgsql', body });

export const users = table('users', {
  id: serial().primaryKey(),
  name: text(),
}, () => [
  trigger('before_insert_trigger', { timing: 'before', events: 'insert', forEach: 'row', function: beforeInsertFunc }),
  trigger('after_insert_trigger', { timing: 'after', events: 'insert', forEach: 'row', function: afterInsertFunc }),
]);
