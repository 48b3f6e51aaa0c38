/**
 * `diff`: two schemas from any sources (a live database, a `.sql` file, a schema directory, a migrations
 * directory) compared, and the steps between them written as `up.sql` and `down.sql`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { maskUrl } from '../db/url.js';
import { withShadowChoice } from '../load/shadow-choice.js';
import { parseSource, readSource, type SourceSpec } from '../load/source.js';
import type { Step } from '../model/plan.js';
import { parseHints } from './rename-hints.js';
import type { Notifier } from './notice.js';

export interface CompareOptions {
  /** The current schema: `postgres://` URL, `.sql` file, schema directory or `migrations:DIR`. */
  readonly from: string;
  /** The desired schema, as `from`. */
  readonly to: string;
  /** The directory to write `up.sql` and `down.sql` into. */
  readonly out: string;
  /** `OLD=NEW` rename hints. */
  readonly rename?: readonly string[] | undefined;
  readonly shadowUrl?: string | undefined;
  /** Archive dropped tables and columns in up.sql so down.sql restores their rows (default true). */
  readonly archive?: boolean | undefined;
  /** The clock, for the archives' names (`<YYYYMMDDHHMMSS>_diff__<table>`). */
  readonly now?: Date | undefined;
  readonly notify?: Notifier | undefined;
}

export interface Compared {
  readonly steps: readonly Step[];
  /** The paths written. */
  readonly up: string;
  readonly down: string;
}

/**
 * The live side a `.sql`, migrations or schema-directory source is compared with, whose major its shadow must be
 * (load/shadow-choice.ts); none when both sides are live or neither is.
 */
const liveSide = (from: SourceSpec, to: SourceSpec): string | undefined =>
  from.kind === 'url' && to.kind !== 'url' ? from.url : to.kind === 'url' && from.kind !== 'url' ? to.url : undefined;

const describeSource = (s: SourceSpec) =>
  s.kind === 'sql' ? s.file : s.kind === 'migrations' ? `migrations:${s.dir}` : s.kind === 'schema' ? `${s.dir} (schema directory)` : maskUrl(s.url);

export const compareSources = async (o: CompareOptions): Promise<Compared> => {
  const hints = parseHints(o.rename ?? []);
  const from = parseSource(o.from, '--from');
  const to = parseSource(o.to, '--to');
  // Both sides are read at once: two sessions, and the catalog work runs on the server(s) in parallel. The stages
  // after the reads are loaded while the servers work (~100 modules: compiling them took as long as a query).
  const read = withShadowChoice({ shadowUrl: o.shadowUrl, liveUrl: liveSide(from, to) }, (choice) => {
    if (choice.warning) o.notify?.warn?.(choice.warning);
    return Promise.all([readSource(from, { shadowUrl: choice.shadowUrl }), readSource(to, { shadowUrl: choice.shadowUrl })]);
  });
  const stages = Promise.all([
    import('../diff/index.js'),
    import('../plan/index.js'),
    import('../plan/archive-drops.js'),
    import('../emit/script.js'),
    import('../emit/migration-id.js'),
  ]);
  // A failed read is the error to report; the stages' import is then not waited for (nor left unhandled).
  stages.catch(() => undefined);
  const [current, desired] = await read;
  const [{ diff }, { plan }, { archiveDrops }, { renderScript }, { migrationStamp }] = await stages;
  const result = diff(current, desired, hints);
  const planned = plan(result).steps;
  const steps = o.archive === false ? planned : archiveDrops(planned, `${migrationStamp(o.now ?? new Date())}_diff`);
  const header = [`keikaku diff`, `from: ${describeSource(from)}`, `to:   ${describeSource(to)}`];
  const up = renderScript(steps, 'up', [...header, `${steps.length} step(s)`]);
  const down = renderScript(steps, 'down', [...header, `downgrade: ${steps.length} step(s) undone newest first`]);
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'up.sql'), up);
  writeFileSync(join(o.out, 'down.sql'), down);
  return { steps, up: join(o.out, 'up.sql'), down: join(o.out, 'down.sql') };
};
