/**
 * Start-up of a shadow, to the first answered query: an embedded PostgreSQL of each given major from its cached
 * template data directory (src/db/embedded) against a new PGlite. Median of `--runs` (default 3).
 *
 *   npx tsx test/bench/shadow-start.ts 16 13 --runs 5
 */
import { connectPg } from '../../src/db/pg.js';
import { openPglite } from '../../src/db/pglite.js';
import { chooseShadow } from '../../src/load/shadow-choice.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const majors = args.filter((a, i) => /^\d+$/.test(a) && (runsAt < 0 || i !== runsAt + 1)).map(Number);

const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
const time = async (fn: () => Promise<void>): Promise<number> => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

for (const major of majors.length ? majors : [16]) {
  await chooseShadow({ pinnedMajor: major }).then((c) => c.release()); // creates the template once
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    let release = async () => undefined as void;
    times.push(
      await time(async () => {
        const c = await chooseShadow({ pinnedMajor: major });
        release = c.release;
        const db = await connectPg(c.shadowUrl!);
        await db.query('SELECT 1');
        await db.close();
      }),
    );
    await release();
  }
  console.log(`embedded PostgreSQL ${major}: ${median(times)} ms (runs: ${times.map(Math.round).join(', ')})`);
}
const pglite: number[] = [];
for (let i = 0; i < runs; i++) {
  let close = async () => undefined as void;
  pglite.push(
    await time(async () => {
      const p = await openPglite({});
      close = () => p.close();
      await p.query('SELECT 1');
    }),
  );
  await close();
}
console.log(`PGlite: ${median(pglite)} ms (runs: ${pglite.map(Math.round).join(', ')})`);
