/**
 * Starts PostgreSQL servers of the given majors by hand and keeps them until Ctrl-C (or SIGTERM):
 *
 *   npx tsx test/support/start-server.ts 16 13
 *
 * Prints one line per server, `<major> <url>`, then `ready`; `--env` prints `PGHOST=… PGPORT=…` lines instead
 * (for the acceptance runner, which reads PGHOST / PGPORT). Data directories are removed when it stops.
 */
import type { EmbeddedServer } from '../../src/db/embedded/server.js';
import { startServer, testMajors } from './servers.js';

const args = process.argv.slice(2);
const env = args.includes('--env');
const majors = testMajors({ KEIKAKU_TEST_MAJORS: args.filter((a) => a !== '--env').join(',') });
if (majors.length === 0) {
  console.error('usage: npx tsx test/support/start-server.ts [--env] <major>… (13–18, or all)');
  process.exit(1);
}

const servers: EmbeddedServer[] = [];
const stop = async () => {
  await Promise.all(servers.map((s) => s.stop()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

for (const major of majors) {
  const t0 = performance.now();
  const server = await startServer(major);
  servers.push(server);
  const ms = Math.round(performance.now() - t0);
  if (env) console.log(`PG${major}_URL=${server.url} PGHOST=127.0.0.1 PGPORT=${server.port} # ${ms} ms`);
  else console.log(`${major} ${server.url} (PostgreSQL ${server.version}, started in ${ms} ms)`);
}
console.log('ready');
