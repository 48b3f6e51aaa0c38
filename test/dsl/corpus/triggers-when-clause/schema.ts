// Corpus case: sqldef/tests_triggers/CreateTriggerWithWhenClauseProcedure
import { fn, serial, smallint, sql, table, trigger } from '../../../../src/index.js';

export const trackStatus = fn('track_status', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  RETURN NEW;
END;
`,
});

export const items = table('items', {
  id: serial().primaryKey(),
  status: smallint(),
}, () => [
  trigger('track_status_change', {
    timing: 'after',
    events: 'update',
    forEach: 'row',
    when: sql`OLD.status IS DISTINCT FROM NEW.status`,
    function: trackStatus,
  }),
]);
