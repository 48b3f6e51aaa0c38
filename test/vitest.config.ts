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
    // Slow-step notices (stderr) are tested on their own (test/cli/slow-notice.test.ts); elsewhere they would make
    // what a test sees on stderr depend on the machine's speed.
    env: { KEIKAKU_NOTICE_MS: '3600000' },
  },
});
