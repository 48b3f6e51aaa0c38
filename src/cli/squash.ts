/** `keikaku squash`: prints what `squash` (src/api.ts) proved and wrote. */
import { squash } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { terminalText as t } from '../model/escape.js';
import { stderrNotifier } from './notice.js';
import type { CommandOutput } from './options.js';

export interface SquashArgs {
  readonly to: string;
  readonly name?: string | undefined;
  readonly dryRun: boolean;
  readonly format: 'text' | 'json';
}

export const runSquash = async (config: ResolvedConfig, a: SquashArgs): Promise<CommandOutput> => {
  const r = await squash({ config, to: a.to, name: a.name, dryRun: a.dryRun, notify: stderrNotifier });
  if (a.format === 'json') return { stdout: `${JSON.stringify(r, null, 2)}\n`, exitCode: 0 };
  const lines = [
    `${r.written ? 'Squashed' : 'Would squash'} ${r.replaced.length} migrations into ${t(r.id)} (${r.steps} steps; the same schema, proved in the shadow):`,
    ...r.replaced.map((id) => `  ${t(id)}`),
    r.kept.length ? `${t(r.kept[0]!)} now follows it; ${r.kept.length} migration(s) after it are unchanged.` : 'It is the head.',
  ];
  if (r.handWritten.length)
    lines.push(
      `note: ${r.handWritten.map(t).join(', ')} ${r.handWritten.length === 1 ? 'was' : 'were'} written or edited by hand: what their SQL did to rows is not in the baseline (a new database gets the schema only).`,
    );
  lines.push(r.written ? 'Databases that ran all of them count as having run the baseline. Run `keikaku verify` to replay the new history up, down and up.' : '(dry run: nothing written)');
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
