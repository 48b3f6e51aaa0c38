import { existingAccessExclusive } from '../locks.js';
import type { LintRule } from '../types.js';

export const requireLockTimeout: LintRule = {
  id: 'require-lock-timeout',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'no lock_timeout in force when a statement locks an existing table ACCESS EXCLUSIVE (reported once per stretch without one; not checked for files keikaku apply runs: it sets one per step)',
  rewrite: "SET lock_timeout = '5s'; at the top of the file (and retry on timeout)",
  check(ctx) {
    if (ctx.options.appliedByKeikaku || ctx.state.lockTimeoutSet || ctx.state.unguardedAccessExclusive) return [];
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
