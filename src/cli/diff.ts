/** `keikaku diff --from A --to B --out DIR`: the steps between two schemas, as printed. */
import { diff } from '../api.js';
import { describeChange } from '../model/describe.js';
import { terminalText as t } from '../model/escape.js';
import { stderrNotifier } from './notice.js';

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

export const runDiff = async (args: DiffArgs): Promise<{ stdout: string; exitCode: number }> => {
  const { steps, up, down } = await diff({ ...args, notify: stderrNotifier });
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
    return { stdout: JSON.stringify({ changes, up: up, down: down }, null, 2) + '\n', exitCode: 0 };
  }
  const lines = steps.length
    ? steps.map((s) => `  ${t(describeChange(s.change))}${s.hazards.length ? `  [${s.hazards.map((h) => h.code).join(', ')}]` : ''}`)
    : ['  no changes'];
  return {
    stdout: `${steps.length} change(s)\n${lines.join('\n')}\nwrote ${up} and ${down}\n`,
    exitCode: 0,
  };
};
