// Corpus case: sqldef/tests_indices/GistIndexWithTstzrange
import { extension, index, integer, table, tstzrange } from '../../../../src/index.js';

export const btreeGist = extension('btree_gist');

export const events = table('events', {
  id: integer(),
  eventRange: tstzrange(),
}, (t) => [index('idx_event_range').using('gist').on(t.eventRange)]);
