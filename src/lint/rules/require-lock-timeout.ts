import { existingAccessExclusive } from '../locks.js';
import type { LintRule } from '../types.js';

export const requireLockTimeout: LintRule = {
  id: 'require-lock-timeout',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'no SET lock_timeout before the first statement that locks an existing table ACCESS EXCLUSIVE (not checked for files keikaku apply runs: it sets one per step)',
  rewrite: "SET lock_timeout = '5s'; at the top of the file (and retry on timeout)",
  check(ctx) {
    if (ctx.options.appliedByKeikaku || ctx.state.lockTimeoutSet || ctx.state.accessExclusiveTaken) return [];
    const [first] = existingAccessExclusive(ctx.statement, ctx.state);
    if (!first) return [];
    return [
      {
        location: first.location,
        message: `this waits for an ACCESS EXCLUSIVE lock on ${first.label} with no lock_timeout: behind one long transaction it queues, and every query on ${first.label} queues behind it`,
      },
    ];
  },
};
