/**
 * Names the sessions a waiting step is blocked by. A step that times out on `lock_timeout` has stopped waiting by
 * the time its error arrives (and `pg_blocking_pids` of a session not waiting is empty), so a second session
 * looks while the step runs: every `intervalMs` it asks `pg_blocking_pids(pid)` and keeps the last answer.
 * The second session is opened only when a step runs longer than one interval.
 */
import type { Db } from '../db/types.js';
import { applySql } from './journal.js';
import type { Blocker } from './types.js';

interface BlockerRow {
  pid: number;
  user: string;
  application_name: string;
  state: string;
  query: string;
  xact_seconds: number | null;
}

export const readBlockers = async (monitor: Db, pid: number): Promise<Blocker[]> =>
  (await monitor.query<BlockerRow>(await applySql('blockers'), [pid])).map((r) => ({
    pid: Number(r.pid),
    user: r.user,
    applicationName: r.application_name,
    state: r.state,
    query: r.query,
    xactSeconds: r.xact_seconds === null ? null : Number(r.xact_seconds),
  }));

export interface BlockerWatch {
  /** Stops watching; the blockers last seen (empty when the step never waited for a lock). */
  stop(): Promise<Blocker[]>;
}

export interface Monitor {
  /** Starts watching the session `pid` while one step runs. */
  watch(pid: number, intervalMs: number): BlockerWatch;
  close(): Promise<void>;
}

/** A monitor on sessions opened by `connect`; without it (PGlite: one session, nothing can block) it sees nothing. */
export const createMonitor = (connect: (() => Promise<Db>) | undefined): Monitor => {
  let session: Promise<Db | undefined> | undefined;
  const open = () => {
    session ??= connect ? connect().catch(() => undefined) : Promise.resolve(undefined);
    return session;
  };
  return {
    watch(pid, intervalMs) {
      let last: Blocker[] = [];
      let busy: Promise<void> = Promise.resolve();
      let stopped = false;
      const timer = setInterval(() => {
        busy = busy.then(async () => {
          if (stopped) return;
          const db = await open();
          if (!db || stopped) return;
          const now = await readBlockers(db, pid).catch(() => []);
          if (now.length > 0) last = now;
        });
      }, intervalMs);
      return {
        async stop() {
          stopped = true;
          clearInterval(timer);
          await busy;
          return last;
        },
      };
    },
    async close() {
      const db = await session;
      await db?.close().catch(() => undefined);
    },
  };
};
