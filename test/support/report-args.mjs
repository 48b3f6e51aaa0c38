/** What the corpus report scripts (`node test/…/*-report.mjs`) read from their command line and environment. */

/** The value after `--name` on the command line, else `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** `--server URL`, else KEIKAKU_TEST_SERVER_URL, else the local server as PGHOST / PGPORT / PGUSER say. */
export const reportServer = () =>
  arg(
    '--server',
    process.env.KEIKAKU_TEST_SERVER_URL ||
      `postgres://${encodeURIComponent(process.env.PGUSER || 'postgres')}@${process.env.PGHOST || '127.0.0.1'}:${process.env.PGPORT || '5432'}/postgres`,
  );
