// Corpus case: sqldef/tests_identity/IdentityWithSequenceOptions
import { integer, table } from '../../../../src/index.js';

export const voltages = table('voltages', {
  volt: integer().generatedByDefaultAsIdentity({ start: -200, increment: 10, minValue: -200, maxValue: 200 }),
});
