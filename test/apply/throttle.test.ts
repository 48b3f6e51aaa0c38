/**
 * The pure parts of the replica-lag throttle and of pooled runs: when the gate is held (`judge`), the config's
 * bounds (`parseQuantity`), a phase file's session setting made per transaction (`localSetting`), and the lines
 * `apply` prints for them. The throttle and the pooler against real servers: replica.test.ts, pooler.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judge, type ReplicaLag } from '../../src/apply/throttle.js';
import { localSetting } from '../../src/apply/run-phase.js';
import { connectionText, lagText } from '../../src/cli/apply.js';
import { parseQuantity } from '../../src/config/index.js';
import { UserError } from '../../src/db/errors.js';

const replica = fc.record({
  name: fc.string(),
  state: fc.constantFrom('streaming', 'catchup', 'startup', 'backup', 'stopping'),
  lagBytes: fc.option(fc.nat({ max: 1 << 30 }), { nil: null }),
  lagMs: fc.option(fc.nat({ max: 600_000 }), { nil: null }),
}) as fc.Arbitrary<ReplicaLag>;

const live = (rs: readonly ReplicaLag[]) => rs.filter((r) => r.state === 'streaming' || r.state === 'catchup');

describe('judge', () => {
  it('bytes: held when a streaming replica lags past the bound (plus headroom); let go only under half of it', () =>
    fc.assert(
      fc.property(fc.array(replica, { maxLength: 4 }), fc.integer({ min: 1, max: 1 << 28 }), fc.boolean(), fc.nat({ max: 1 << 26 }), (rs, bound, holding, headroom) => {
        const r = judge({ maxLagBytes: bound, maxLagMs: undefined, pauseWhenDisconnected: false }, rs, 0, holding, headroom);
        const worst = Math.max(-1, ...live(rs).map((x) => x.lagBytes ?? -1));
        const limit = holding ? bound / 2 : bound;
        expect(r.over !== undefined).toBe(worst >= 0 && worst + headroom > limit);
        expect(r.maxBytes).toBe(worst >= 0 ? worst : null);
      }),
    ));

  it('time: counts only while at least a WAL page is left to replay (replay_lag keeps its last value otherwise)', () => {
    const policy = { maxLagBytes: undefined, maxLagMs: 1_000, pauseWhenDisconnected: false };
    const at = (lagBytes: number | null, lagMs: number) => judge(policy, [{ name: 'r', state: 'streaming', lagBytes, lagMs }], 1).over;
    expect(at(100_000, 5_000)).toBe('replica lag 5000 ms > 1000 ms');
    expect(at(null, 5_000)).toBe('replica lag 5000 ms > 1000 ms');
    expect(at(100, 5_000)).toBeUndefined();
    expect(at(100_000, 900)).toBeUndefined();
  });

  it('disconnected: held while fewer replicas stream than at the start, when asked to', () => {
    const one: ReplicaLag[] = [{ name: 'a', state: 'streaming', lagBytes: 0, lagMs: 0 }];
    const policy = { maxLagBytes: 1 << 20, maxLagMs: undefined, pauseWhenDisconnected: true };
    expect(judge(policy, one, 2).over).toBe('1 replica disconnected');
    expect(judge(policy, [], 2).over).toBe('2 replicas disconnected');
    expect(judge(policy, one, 1).over).toBeUndefined();
    expect(judge({ ...policy, pauseWhenDisconnected: false }, [], 2).over).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  it('reads durations and sizes, and refuses anything else naming the key', () => {
    expect(parseQuantity('10s', 'ms', 'k')).toBe(10_000);
    expect(parseQuantity('250ms', 'ms', 'k')).toBe(250);
    expect(parseQuantity('2min', 'ms', 'k')).toBe(120_000);
    expect(parseQuantity(500, 'ms', 'k')).toBe(500);
    expect(parseQuantity('64MB', 'bytes', 'k')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('512kB', 'bytes', 'k')).toBe(512 * 1024);
    for (const bad of ['', '10 lightyears', '-1s', '0s', 'ten s', '5 parsecs'])
      expect(() => parseQuantity(bad, 'ms', 'backfill.maxReplicaLag')).toThrow(UserError);
    expect(() => parseQuantity('64 MiB', 'bytes', 'backfill.maxReplicaLagBytes')).toThrow(/backfill\.maxReplicaLagBytes/);
  });
});

describe('localSetting', () => {
  it('makes a session SET a SET LOCAL, and nothing else', () => {
    expect(localSetting('SET check_function_bodies = off')).toBe('SET LOCAL check_function_bodies = off');
    expect(localSetting('set session search_path = public')).toBe('SET LOCAL search_path = public');
    expect(localSetting('-- why\nSET x.y = 1')).toBe('-- why\nSET LOCAL x.y = 1');
    expect(localSetting("SET LOCAL a = 'SET b'")).toBe("SET LOCAL a = 'SET b'");
  });
});

describe('what apply prints', () => {
  it('the lag, and the connection route', () => {
    expect(lagText({ replicas: [{ name: 'r', state: 'streaming', lagBytes: 3 * 1024 * 1024, lagMs: 250 }], maxBytes: 3 * 1024 * 1024, maxMs: 250, missing: 0, over: undefined })).toBe(
      'replica lag 3.0 MB, 250 ms',
    );
    expect(lagText({ replicas: [], maxBytes: null, maxMs: null, missing: 1, over: '1 replica disconnected' })).toBe('1 replica disconnected');
    expect(connectionText({ route: 'lease', pooler: 'transaction', detected: true })).toMatch(/^connection: through a transaction-mode pooler \(detected.*lease row/);
    expect(connectionText({ route: 'direct-url', pooler: 'transaction', detected: false, directUrl: 'postgres://app@db:5432/shop' })).toBe(
      'connection: through a transaction-mode pooler (pooler: transaction in the config); running over directUrl postgres://app@db:5432/shop with the session advisory lock',
    );
  });
});
