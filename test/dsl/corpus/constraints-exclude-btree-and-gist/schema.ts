// Corpus case: sqldef/tests_constraints/ExcludeConstraintMultiple
import { exclude, table, tstzrange, varchar } from '../../../../src/index.js';

export const excludeExample = table('exclude_example', {
  name: varchar({ length: 255 }),
  eventStart: tstzrange().notNull(),
  eventEnd: tstzrange().notNull(),
}, (t) => [
  exclude({ name: 'ex1', using: 'btree', elements: [[t.name, '=']] }),
  exclude({ name: 'ex2', using: 'gist', elements: [[t.eventStart, '&&'], [t.eventEnd, '&&']] }),
]);
