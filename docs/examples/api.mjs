// keikaku as a library: what `keikaku plan` and `keikaku check` report, read as data.
// Run it in a project (or pass the project's directory): node docs/examples/api.mjs [DIR]
import { check, describeStep, plan, UserError } from 'keikaku/api';

const root = process.argv[2] ?? process.cwd();
try {
  const p = await plan({ root });
  console.log(`${p.history.migrations.length} migration(s); ${p.steps.length} change(s) in schema/ not generated yet`);
  for (const phase of p.phases) for (const step of phase.steps) console.log(`  ${phase.name}: ${describeStep(step)}`);
  if (!p.generatable) console.log(`  generate would refuse: ${p.refusedHazards ?? p.refusals.map((r) => r.message).join('; ')}`);

  const report = await check({ root, lint: false });
  console.log(`check: exit ${report.exitCode}, ${report.findings.length} finding(s)`);
  for (const f of report.findings) console.log(`  ${f.rule}: ${f.message}${f.location ? ` (${f.location.file}:${f.location.line})` : ''}`);
  process.exitCode = report.exitCode;
} catch (e) {
  // A mistake the user can fix: one line, and the exit code the CLI would give.
  if (!(e instanceof UserError)) throw e;
  console.error(`keikaku: ${e.message}`);
  process.exitCode = e.exitCode;
}
