// Corpus case: sqldef/tests_dependency_ordering/TypeBeforeFunction_ArgType
import { enumType, fn } from '../../../../src/index.js';

export const priority = enumType('priority', ['low', 'medium', 'high']);

export const classifyPriority = fn('classify_priority', {
  args: [{ name: 'p', type: priority }],
  returns: priority,
  language: 'plpgsql',
  volatility: 'immutable',
  body: ' BEGIN RETURN p; END; ',
});
