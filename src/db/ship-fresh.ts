/**
 * Run by `npm run build` (after tsc): a fresh PGlite data directory saved in dist/pglite/ for the PGlite version
 * installed now, which the first embedded start after an install copies into the cache instead of running initdb
 * (`pglite-fresh.ts`). Copies made for other PGlite versions are removed. A failure is reported and the build goes
 * on: the copy only saves time.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFreshDataDir } from './pglite.js';
import { shippedDataDirFile } from './pglite-fresh.js';

const file = shippedDataDirFile();
if (!file) {
  process.stderr.write('keikaku build: PGlite not found; no fresh data directory shipped\n');
} else {
  try {
    for (const e of readdirSync(dirname(file), { withFileTypes: true }).filter((d) => d.isFile()))
      if (e.name !== basename(file) && /^pglite-.*\.tar\.gz$/.test(e.name)) rmSync(join(dirname(file), e.name), { force: true });
  } catch {
    // No directory yet.
  }
  try {
    await writeFreshDataDir(file);
  } catch (error) {
    process.stderr.write(`keikaku build: no fresh data directory shipped (${error instanceof Error ? error.message : String(error)}); the first start will run initdb\n`);
  }
}
