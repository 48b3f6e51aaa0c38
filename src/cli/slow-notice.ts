/**
 * A one-line notice on stderr when a step is still running after two seconds (starting the embedded PostgreSQL,
 * replaying the migrations), so a cold run does not look hung. stderr only: `--format json` output stays clean.
 */

/** How long a step may run before it gets a notice; KEIKAKU_NOTICE_MS overrides it (0: always). */
const noticeAfterMs = (): number => {
  const v = Number(process.env.KEIKAKU_NOTICE_MS);
  return Number.isFinite(v) && v >= 0 ? v : 2000;
};

export const withSlowNotice = async <T>(text: string, work: Promise<T>): Promise<T> => {
  const timer = setTimeout(() => process.stderr.write(`keikaku: ${text}…\n`), noticeAfterMs());
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
};
