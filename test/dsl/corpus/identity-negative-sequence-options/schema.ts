// Corpus case: sqldef/tests_identity/CreateIdentityColumnWithNegativeValue
import { bigint, table } from '../../../../src/index.js';

export const testSequenceNegative = table('test_sequence_negative', {
  id1: bigint().generatedAlwaysAsIdentity({ start: -100, increment: -5, minValue: -1000, maxValue: -10, cache: 20 }),
  id2: bigint().generatedAlwaysAsIdentity({ start: -50, increment: -2 }),
  id3: bigint().generatedAlwaysAsIdentity({ minValue: -500, maxValue: 0 }),
  id4: bigint().generatedAlwaysAsIdentity({ start: -1, increment: 1, minValue: -100, maxValue: 100, cache: 10 }),
});
