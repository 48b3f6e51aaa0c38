/**
 * How the pipeline tells its caller about what it is doing, without printing: a step still running after two
 * seconds (starting the embedded PostgreSQL, replaying the migrations), so a cold run does not look hung, and
 * warnings. The CLI writes them to stderr (`--format json` output stays clean); the API says nothing unless given one.
 */
import { existsSync } from 'node:fs';
import { freshDataDirFile, shippedDataDirFile } from '../db/pglite-fresh.js';

export interface Notifier {
  /** A slow step's description, e.g. `replaying 3 migrations`. */
  readonly slow?: ((text: string) => void) | undefined;
  readonly warn?: ((text: string) => void) | undefined;
  /** Only with KEIKAKU_DEBUG set. */
  readonly debug?: ((text: string) => void) | undefined;
}

/**
 * What a first run on this machine costs when the build shipped no fresh data directory: PGlite runs initdb once
 * and saves the fresh data directory (`db/pglite-fresh.ts`); later starts restore it (~0.6 s idle,
 * docs/benchmarks.md). initdb takes ~2 s on an idle 2-core machine; measured here under a load of 10–25 on 2
 * cores: 19–34 s (later starts 3.5–9 s).
 */
export const FIRST_RUN_NOTE = 'first run: starting the embedded PostgreSQL (initdb), ~2 s idle, up to ~30 s on a busy machine';

/**
 * The parenthesis a notice adds when its step may start the embedded PostgreSQL: none with a server shadow; the
 * first-run cost while no fresh data directory is saved or shipped (or KEIKAKU_NO_CACHE=1 keeps none); else the
 * reminder that an uncached run starts it.
 */
export const embeddedNote = (shadowUrl: string | undefined): string => {
  if (shadowUrl) return '';
  const saved = freshDataDirFile();
  const shipped = shippedDataDirFile();
  const copy = saved !== null && (existsSync(saved) || (shipped !== null && existsSync(shipped)));
  return copy ? ' (a first run also starts the embedded PostgreSQL)' : ` (${FIRST_RUN_NOTE})`;
};

/** How long a step may run before it gets a notice; KEIKAKU_NOTICE_MS overrides it (0: always). */
const noticeAfterMs = (): number => {
  const v = Number(process.env.KEIKAKU_NOTICE_MS);
  return Number.isFinite(v) && v >= 0 ? v : 2000;
};

export const withSlowNotice = async <T>(notify: Notifier | undefined, text: string, work: Promise<T>): Promise<T> => {
  const slow = notify?.slow;
  if (!slow) return work;
  const timer = setTimeout(() => slow(text), noticeAfterMs());
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
};
