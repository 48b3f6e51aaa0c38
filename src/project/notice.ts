/**
 * How the pipeline tells its caller about what it is doing, without printing: a step still running after two
 * seconds (starting the embedded PostgreSQL, replaying the migrations), so a cold run does not look hung, and
 * warnings. The CLI writes them to stderr (`--format json` output stays clean); the API says nothing unless given one.
 */
export interface Notifier {
  /** A slow step's description, e.g. `replaying 3 migrations`. */
  readonly slow?: ((text: string) => void) | undefined;
  readonly warn?: ((text: string) => void) | undefined;
  /** Only with KEIKAKU_DEBUG set. */
  readonly debug?: ((text: string) => void) | undefined;
}

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
