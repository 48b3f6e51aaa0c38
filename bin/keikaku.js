#!/usr/bin/env node
const argv = process.argv.slice(2);
// A reader that stops reading (`keikaku … | head`) closes the pipe: the rest of the output goes nowhere, and the
// command still finishes what it does (an apply is not cut short by its log's reader).
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
// `generate` and `plan` may run on the project's background process (docs/daemon.md); everything else runs here.
const served = argv[0] === 'generate' || argv[0] === 'plan' ? await (await import('../dist/cli/daemon/client.js')).viaDaemon(argv) : { here: true, start: null };
if ('code' in served) process.exitCode = served.code;
else {
  const { run } = await import('../dist/cli/run.js');
  process.exitCode = await run(argv);
  if (served.start) (await import('../dist/cli/daemon/client.js')).startDaemon(argv, served.start);
}
