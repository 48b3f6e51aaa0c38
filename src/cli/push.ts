/** `keikaku push`: the plan against the database printed, asked about on a terminal, run; see project/push.ts. */
import { createInterface } from 'node:readline/promises';
import type { ResolvedConfig } from '../config/index.js';
import { terminalText as t } from '../model/escape.js';
import { describeStep, push, type PushOutcome, type PushPreview } from '../api.js';
import { stderrNotifier } from './notice.js';
import type { CommandOutput } from './options.js';

export interface PushArgs {
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly allowDataLoss: boolean;
  readonly renames: readonly string[];
  readonly noRename: readonly string[];
  readonly format: 'text' | 'json';
  /** stdin and stdout are a terminal: push asks before it runs. */
  readonly tty: boolean;
  readonly color: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const drifted = (n: number) =>
  `note: ${plural(n, 'migration')} of this database ${n === 1 ? 'was' : 'were'} applied by \`keikaku apply\`; after a push it differs from them ` +
  '(`keikaku check` reports drift, `keikaku reset` brings it back to the history)';

/** The plan as the terminal shows it before asking. */
const describePreview = (p: PushPreview, color: boolean): string[] => {
  const out = [`push to ${p.target.label} (${t(p.target.source)}): ${plural(p.steps.length, 'change')}`];
  for (const s of p.steps) {
    const hz = s.hazards.map((h) => h.code).join(', ');
    out.push(`  ${t(describeStep(s))}${hz ? `  ${paint(color, 33, `[${hz}]`)}` : ''}`);
  }
  for (const l of p.losses) out.push(paint(color, 33, `  archived first: ${t(l.what)}: ${plural(l.rows, l.kind === 'drop_table' ? 'row' : 'value')}`));
  if (p.appliedMigrations) out.push(paint(color, 33, drifted(p.appliedMigrations)));
  return out;
};

const ask = async (p: PushPreview, a: PushArgs): Promise<boolean> => {
  if (!a.tty) return false;
  process.stdout.write(`${describePreview(p, a.color).join('\n')}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question('Push these changes? [y/N] ')).trim());
  } finally {
    rl.close();
  }
};

const json = (o: PushOutcome) => {
  const p = o.kind === 'unchanged' ? undefined : o.preview;
  return `${JSON.stringify(
    {
      result: o.kind,
      target: (o.kind === 'unchanged' ? o.target : o.preview.target).label,
      appliedMigrations: o.kind === 'unchanged' ? o.appliedMigrations : o.preview.appliedMigrations,
      changes: p?.steps.map((s) => ({ change: s.change.kind, description: describeStep(s), hazards: s.hazards.map((h) => h.code) })) ?? [],
      losses: p?.losses ?? [],
      sql: p?.sql ?? '',
      ...(o.kind === 'pushed' ? { durationMs: o.ms, remaining: o.remaining } : {}),
    },
    null,
    2,
  )}\n`;
};

export const runPush = async (config: ResolvedConfig, a: PushArgs): Promise<CommandOutput> => {
  // On a terminal the plan is shown with the question; without one, --yes is the answer or push is refused.
  const asked = a.tty && !a.yes && !a.dryRun && a.format === 'text';
  const o = await push({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    yes: a.yes,
    dryRun: a.dryRun,
    allowDataLoss: a.allowDataLoss,
    renames: a.renames,
    noRename: a.noRename,
    notify: stderrNotifier,
    confirm: asked ? (p) => ask(p, a) : undefined,
  });
  if (a.format === 'json') return { stdout: json(o), exitCode: o.kind === 'declined' ? 3 : o.kind === 'pushed' && o.remaining.length ? 1 : 0 };
  switch (o.kind) {
    case 'unchanged':
      return { stdout: `No changes: ${o.target.label} matches schema/.${o.appliedMigrations ? '' : ''}\n`, exitCode: 0 };
    case 'dry-run':
      return { stdout: `${describePreview(o.preview, a.color).join('\n')}\n\n${o.preview.sql}\n(dry run: nothing was run)\n`, exitCode: 0 };
    case 'declined':
      return { stdout: 'stopped: nothing was run\n', exitCode: 3 };
    case 'pushed': {
      const shown = asked ? [] : describePreview(o.preview, a.color);
      const done = `pushed ${plural(o.preview.steps.length, 'change')} in ${o.ms} ms`;
      if (o.remaining.length === 0) return { stdout: `${[...shown, `${done}; ${o.preview.target.label} matches schema/.`].join('\n')}\n`, exitCode: 0 };
      return {
        stdout: `${[...shown, done, paint(a.color, 31, `but it still differs from schema/ (a keikaku bug; please report it):`), ...o.remaining.map((r) => `  ${t(r)}`)].join('\n')}\n`,
        exitCode: 1,
      };
    }
  }
};
