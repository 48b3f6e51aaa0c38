/** What `pull` did, for a person (text) or a machine (JSON). Pure: the CLI prints it. */
import { terminalText as t } from '../model/escape.js';
import type { PullResult } from './index.js';
import type { BaselineOutcome } from './baseline.js';
import { describeJournal } from './takeover.js';

export interface PullReport {
  readonly target: string;
  readonly out: string;
  readonly result: PullResult;
  readonly baseline: BaselineOutcome | { readonly kind: 'skipped' };
  readonly seconds: number;
}

const KIND_WORDS: Readonly<Record<string, string>> = {
  schema: 'schema(s)',
  extension: 'extension(s)',
  custom: 'custom type(s)',
  enum: 'enum(s)',
  domain: 'domain(s)',
  composite: 'composite type(s)',
  sequence: 'sequence(s)',
  function: 'function(s)',
  table: 'table(s)',
  view: 'view(s)',
};

const version = (n: number) => `${Math.floor(n / 10000)}.${n % 10000}`;

export const pullText = (r: PullReport): string => {
  const { result } = r;
  const counts = Object.entries(KIND_WORDS)
    .filter(([k]) => result.counts[k])
    .map(([k, w]) => `${result.counts[k]} ${w}`)
    .join(', ');
  const lines = [`pulled ${r.target} (PostgreSQL ${version(result.schema.serverVersion)}) into ${r.out} in ${r.seconds.toFixed(1)} s: ${counts || 'nothing'}`];
  const changed = result.files.filter((f) => f.status !== 'unchanged');
  for (const f of changed) {
    const parts = [
      f.added.length ? `+${f.added.join(', +')}` : '',
      f.replaced.length ? `~${f.replaced.join(', ~')}` : '',
      f.removed.length ? `-${f.removed.join(', -')}` : '',
    ].filter(Boolean);
    const shown = t(parts.join(' '));
    lines.push(`  ${f.status.padEnd(8)} ${t(f.file)}${shown ? `  ${shown.length > 100 ? `${shown.slice(0, 97)}...` : shown}` : ''}`);
  }
  const unchanged = result.files.length - changed.length;
  if (unchanged) lines.push(`  ${unchanged} ${unchanged === 1 ? 'file' : 'files'} unchanged`);
  if (changed.length === 0) lines.push('  no file changed: the schema files already match the database');
  for (const j of result.journals)
    lines.push(`${describeJournal(j)}; keikaku takes over from here: its table stays (a way back) and is left out of every diff`);
  const b = r.baseline;
  if (b.kind === 'written') lines.push(`baseline: ${b.dir} (${b.steps} step(s)), recorded as applied on the database`);
  else if (b.kind === 'history-exists') lines.push(`no baseline: generated/ already has ${b.migrations} migration(s); use \`keikaku generate\` for what changed`);
  else if (b.kind === 'empty') lines.push('no baseline: the database has no schema objects');
  if (result.notes.length) {
    lines.push(`${result.notes.length} thing(s) the DSL cannot say, left out of the files (declare them by hand or keep them in SQL):`);
    for (const n of result.notes) lines.push(`  ${t(n)}`);
  }
  return `${lines.join('\n')}\n`;
};

export const pullJson = (r: PullReport): string =>
  `${JSON.stringify(
    {
      target: r.target,
      out: r.out,
      serverVersion: r.result.schema.serverVersion,
      counts: r.result.counts,
      files: r.result.files,
      journals: r.result.journals,
      baseline: r.baseline,
      notes: r.result.notes,
      seconds: Number(r.seconds.toFixed(3)),
    },
    null,
    2,
  )}\n`;
