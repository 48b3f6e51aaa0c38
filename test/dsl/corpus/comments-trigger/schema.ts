// Corpus case: sqldef/tests_comments/CommentOnTrigger
import { fn, integer, table, trigger } from '../../../../src/index.js';

export const triggerFunc = fn('trigger_func', {
  returns: 'trigger',
  language: 'plpgsql',
  body: ' BEGIN RETURN NEW; END; ',
});

export const test = table('test', {
  id: integer(),
}, () => [
  trigger('test_trigger', { timing: 'before', events: 'insert', forEach: 'row', function: triggerFunc, comment: 'Trigger comment' }),
]);
