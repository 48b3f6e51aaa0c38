// Corpus case: sqldef/tests_indices/BrinIndex
import { index, numeric, table, timestamp } from '../../../../src/index.js';

export const timeseries = table('timeseries', {
  ts: timestamp(),
  val: numeric(),
}, (t) => [index('idx_ts_brin').using('brin').on(t.ts)]);
