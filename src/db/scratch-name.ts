/**
 * Names of scratch databases. A name says who made it and when, so that a later run can tell a database left by
 * a process that is gone (killed, or its machine lost) from one still in use:
 *
 *   keikaku_shadow_<host>_<pid>_<created>_<random>   e.g. keikaku_shadow_3f9a1c_48121_1765031245_a07e2b
 *
 * `host` is the first 6 hex digits of the SHA-256 of the machine's hostname (a pid means something only on its own
 * machine), `created` the creation time in seconds since the epoch. Lowercase letters, digits and underscores
 * only, 47 bytes at most: a valid identifier that needs no quoting.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const SCRATCH_PREFIX = 'keikaku_shadow_';

/** Who made a scratch database, and when. */
export interface ScratchOrigin {
  readonly host: string;
  readonly pid: number;
  readonly createdAt: Date;
}

const NAME = /^keikaku_shadow_([0-9a-f]{6})_([1-9][0-9]{0,9})_([1-9][0-9]{0,10})_[0-9a-f]{6}$/;

/** This machine's marker in scratch names. */
export const hostMarker = (name: string = hostname()): string => createHash('sha256').update(name).digest('hex').slice(0, 6);

/** A new scratch database name for this process, made at `now`. */
export const scratchName = (now: Date = new Date(), pid: number = process.pid, host: string = hostMarker()): string =>
  `${SCRATCH_PREFIX}${host}_${pid}_${Math.floor(now.getTime() / 1000)}_${randomBytes(3).toString('hex')}`;

/** Who made the database named `name`; null for any name keikaku did not make this way (never to be touched). */
export const parseScratchName = (name: string): ScratchOrigin | null => {
  const m = NAME.exec(name);
  if (!m) return null;
  return { host: m[1]!, pid: Number(m[2]), createdAt: new Date(Number(m[3]) * 1000) };
};

/** A scratch database whose maker may still use it is kept at least this long (no pid check off its machine). */
export const STALE_AFTER_MS = 60 * 60 * 1000;

export interface StaleContext {
  readonly now: Date;
  readonly host: string;
  /** Whether a process with this pid runs on this machine. */
  readonly alive: (pid: number) => boolean;
  readonly staleAfterMs?: number;
}

/**
 * Whether a scratch database is left over: made on this machine by a process that is gone, or older than the bound
 * (its maker on another machine, or this pid reused). Whether anyone is connected to it is the caller's to check.
 */
export const isStale = (origin: ScratchOrigin, context: StaleContext): boolean => {
  const age = context.now.getTime() - origin.createdAt.getTime();
  if (age > (context.staleAfterMs ?? STALE_AFTER_MS)) return true;
  return origin.host === context.host && !context.alive(origin.pid);
};

/** Whether a process with this pid exists here (one we may not signal exists too). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
