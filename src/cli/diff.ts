import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diff } from '../diff/index.js';
import { parseHints } from './project.js';
import { maskUrl } from '../db/url.js';
import { renderScript } from '../emit/script.js';
import { withShadowChoice } from '../load/shadow-choice.js';
import { parseSource, readSource, type SourceSpec } from '../load/source.js';
import { plan } from '../plan/index.js';
import { describeChange } from '../model/describe.js';
import { terminalText as t } from '../model/escape.js';
import { archiveDrops } from '../plan/archive-drops.js';
import { migrationStamp } from './generate.js';

export interface DiffArgs {
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly rename: readonly string[];
  readonly shadowUrl?: string | undefined;
  readonly format: 'text' | 'json';
  /** Archive dropped tables and columns in up.sql so down.sql restores their rows (default); false: `--no-archive`. */
  readonly archive?: boolean | undefined;
  /** The clock, for the archives' names (`<YYYYMMDDHHMMSS>_diff__<table>`). */
  readonly now?: Date | undefined;
}

/**
 * The live side a `.sql`, migrations or schema-directory source is compared with, whose major its shadow must be
 * (load/shadow-choice.ts); none when both sides are live or neither is.
 */
const liveSide = (from: SourceSpec, to: SourceSpec): string | undefined =>
  from.kind === 'url' && to.kind !== 'url' ? from.url : to.kind === 'url' && from.kind !== 'url' ? to.url : undefined;

export const runDiff = async (args: DiffArgs): Promise<{ stdout: string; exitCode: number }> => {
  const hints = parseHints(args.rename);
  const from = parseSource(args.from, '--from');
  const to = parseSource(args.to, '--to');
  // Both sides are read at once: two sessions, and the catalog work runs on the server(s) in parallel.
  const [current, desired] = await withShadowChoice({ shadowUrl: args.shadowUrl, liveUrl: liveSide(from, to) }, (choice) => {
    if (choice.warning) process.stderr.write(`keikaku: warning: ${choice.warning}\n`);
    return Promise.all([readSource(from, { shadowUrl: choice.shadowUrl }), readSource(to, { shadowUrl: choice.shadowUrl })]);
  });
  const result = diff(current, desired, hints);
  const planned = plan(result).steps;
  const steps = args.archive === false ? planned : archiveDrops(planned, `${migrationStamp(args.now ?? new Date())}_diff`);
  const header = [`keikaku diff`, `from: ${describeSource(from)}`, `to:   ${describeSource(to)}`];
  const up = renderScript(steps, 'up', [...header, `${steps.length} step(s)`]);
  const down = renderScript(steps, 'down', [...header, `downgrade: ${steps.length} step(s) undone newest first`]);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'up.sql'), up);
  writeFileSync(join(args.out, 'down.sql'), down);
  if (args.format === 'json') {
    const changes = steps.map((s) => ({
      kind: s.change.kind,
      object: describeChange(s.change),
      hazards: s.hazards,
      lock: s.lock,
      transactional: s.transactional,
      sql: s.sql,
      reverse: s.reverse,
    }));
    return { stdout: JSON.stringify({ changes, up: join(args.out, 'up.sql'), down: join(args.out, 'down.sql') }, null, 2) + '\n', exitCode: 0 };
  }
  const lines = steps.length
    ? steps.map((s) => `  ${t(describeChange(s.change))}${s.hazards.length ? `  [${s.hazards.map((h) => h.code).join(', ')}]` : ''}`)
    : ['  no changes'];
  return {
    stdout: `${steps.length} change(s)\n${lines.join('\n')}\nwrote ${join(args.out, 'up.sql')} and ${join(args.out, 'down.sql')}\n`,
    exitCode: 0,
  };
};

const describeSource = (s: SourceSpec) =>
  s.kind === 'sql' ? s.file : s.kind === 'migrations' ? `migrations:${s.dir}` : s.kind === 'schema' ? `${s.dir} (schema directory)` : maskUrl(s.url);
