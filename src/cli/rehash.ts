/** `keikaku rehash`: prints what `rehash` (src/api.ts) re-signed after a deliberate hand edit. */
import { rehash } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { SUM_FILE } from '../load/migrations.js';
import { terminalText as t } from '../model/escape.js';
import type { CommandOutput } from './options.js';

export const runRehash = async (config: ResolvedConfig, format: 'text' | 'json'): Promise<CommandOutput> => {
  const r = await rehash({ config });
  const signed = r.kind === 'signed' ? r.signed : [];
  const marked = r.kind === 'signed' ? r.marked : [];
  if (format === 'json') return { stdout: `${JSON.stringify({ written: r.kind === 'signed', signed, markedEdited: marked }, null, 2)}\n`, exitCode: 0 };
  if (r.kind === 'unchanged') return { stdout: `${SUM_FILE} already matches the migrations; nothing written.\n`, exitCode: 0 };
  const lines = [`Signed ${SUM_FILE}${signed.length ? ':' : ' (every file)'}`, ...signed.map((s) => `  ${s.change.padEnd(7)} ${t(s.file)}`)];
  if (marked.length)
    lines.push(
      'Recorded as edited by hand in plan.json (check lints them and refuses a hazard not acknowledged):',
      ...marked.map((f) => `  ${t(f)}`),
      'A database that already ran an edited file still refuses it (apply: CHECKSUM); write a new migration for those.',
    );
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
