import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repository root, whatever directory vitest is started from.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    // With KEIKAKU_TEST_MAJORS set, one server of each of those majors for the whole run (test/support/matrix.ts).
    globalSetup: ['test/support/global-servers.ts'],
    // Each test file gets its own process; a PGlite instance costs ~700 MB and most of a core to start,
    // and the machine has 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    // Database tests take seconds (PGlite starts in ~2.5 s, more when both workers start one at once).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
