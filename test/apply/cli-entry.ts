/** `keikaku` from the sources, for tests that run it as a separate process (see support.ts). */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
