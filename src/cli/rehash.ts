/** `keikaku rehash`: re-signs migrations.sum after a deliberate hand edit (see src/history/rehash.ts). */
import { writeFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { rehash } from '../history/rehash.js';
import { SUM_FILE } from '../load/migrations.js';
import { terminalText as t } from '../model/escape.js';
import type { CommandOutput } from './options.js';

export const runRehash = (config: ResolvedConfig, format: 'text' | 'json'): CommandOutput => {
  const r = rehash(config.generatedDir);
  if (r.kind === 'refused')
    throw new UserError(`cannot re-sign: re-signing does not mend this:\n${r.problems.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`, 3);
  for (const [path, text] of r.writes) writeFileSync(path, text);
  if (format === 'json') return { stdout: `${JSON.stringify({ written: r.writes.size > 0, signed: r.signed, markedEdited: r.marked }, null, 2)}\n`, exitCode: 0 };
  if (r.writes.size === 0) return { stdout: `${SUM_FILE} already matches the migrations; nothing written.\n`, exitCode: 0 };
  const lines = [`Signed ${SUM_FILE}${r.signed.length ? ':' : ' (every file)'}`, ...r.signed.map((s) => `  ${s.change.padEnd(7)} ${t(s.file)}`)];
  if (r.marked.length)
    lines.push(
      'Recorded as edited by hand in plan.json (check lints them and refuses a hazard not acknowledged):',
      ...r.marked.map((f) => `  ${t(f)}`),
      'A database that already ran an edited file still refuses it (apply: CHECKSUM); write a new migration for those.',
    );
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
