/** `keikaku generate [name]`: the next migration folder, `schema.sql` at head, and the sum file, as printed. */
import { join } from 'node:path';
import { HEAD_FILE } from '../load/head-file.js';
import { terminalText as t } from '../model/escape.js';
import type { ResolvedConfig } from '../config/index.js';
import type { DesiredLoader } from '../project/desired.js';
import type { GenerateOptions } from '../project/generate.js';
import { describeStep, generate } from '../api.js';
import { stderrNotifier } from './notice.js';
import { shownPath } from './shown-path.js';

export interface GenerateArgs extends GenerateOptions {
  /** `--env NAME`: compare with this environment's database (as `--from-db` its URL). */
  readonly env?: string | undefined;
  readonly format: 'text' | 'json';
}

/** `loadDesired`: the declared schema from elsewhere (tests); undefined: `schema/` loaded and normalized. */
export const runGenerate = async (config: ResolvedConfig, loadDesired: DesiredLoader | undefined, args: GenerateArgs) => {
  const g = await generate({ notify: stderrNotifier, ...args, config, desired: loadDesired });
  if (g.kind === 'unchanged') {
    const text = `No changes: schema/ matches the migration history. ${g.headWritten ? `Wrote ${t(shownPath(join(config.generatedDir, HEAD_FILE)))} only.` : 'Nothing written.'}\n`;
    return { stdout: args.format === 'json' ? `${JSON.stringify({ id: null, changes: [] })}\n` : text, exitCode: 0 };
  }
  const { id, dir, phases } = g;
  if (args.format === 'json')
    return {
      stdout: `${JSON.stringify({ id, dir: shownPath(dir), phases: phases.map((p) => ({ name: p.name, steps: p.steps.map(describeStep) })) }, null, 2)}\n`,
      exitCode: 0,
    };
  const lines = phases.flatMap((p) => [`  ${p.name}:`, ...p.steps.map((s) => `    ${t(describeStep(s))}${s.hazards.length ? `  [${s.hazards.map((h) => h.code).join(', ')}]` : ''}`)]);
  return { stdout: `wrote ${t(shownPath(dir))}\n${lines.join('\n')}\n`, exitCode: 0 };
};
