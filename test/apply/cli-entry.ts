/** `keikaku` from the sources, for tests that run it as a separate process (see support.ts), as bin/keikaku.js runs it. */
import { run } from '../../src/cli/run.js';

process.exitCode = await run(process.argv.slice(2));
