// Corpus case: sqldef/tests_comments/CommentOnFunction
import { fn } from '../../../../src/index.js';

export const testFunc = fn('test_func', {
  returns: 'void',
  language: 'plpgsql',
  comment: 'This is a test function',
  body: ' BEGIN END; ',
});
